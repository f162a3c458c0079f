using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Tells which decoder a model folder holds from its <c>config.json</c> alone (no weights are read), so an application
/// that takes "a model folder" opens it with the right loader: <c>LoadGpt</c> for a <see cref="BackboneFamily.Gpt"/>
/// folder, <c>LoadLlama</c> for a <see cref="BackboneFamily.Llama"/> one.
/// </summary>
public static class DecoderFolder
{
    /// <summary>The Hugging Face <c>model_type</c> values of the decoders that load: <c>gpt2</c> and the Llama family's.</summary>
    public static IReadOnlyList<string> ModelTypes { get; } = ["gpt2", .. HuggingFaceLlamaConfig.ModelTypes];

    /// <summary>
    /// The family of the decoder in <paramref name="path"/>: <see cref="BackboneFamily.Llama"/> for a Hugging Face folder
    /// whose <c>model_type</c> is <c>llama</c> (SmolLM, TinyLlama), <c>qwen2</c> or <c>qwen3</c>; otherwise
    /// <see cref="BackboneFamily.Gpt"/>: one of our checkpoints, a <c>gpt2</c> folder, or a folder whose config names no
    /// model type or cannot be read (the GPT loader then says what is wrong with it).
    /// </summary>
    /// <param name="path">The model folder.</param>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="InvalidDataException">The config names a model type no decoder loader reads (the message names it
    /// and the ones that load).</exception>
    public static BackboneFamily FamilyOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var folder = Path.GetFullPath(path);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"There is no model folder at {folder}.");
        var type = ModelType(Path.Combine(folder, HuggingFaceConfigFile.FileName));
        if (type is null || type == "gpt2")
            return BackboneFamily.Gpt;
        if (HuggingFaceLlamaConfig.ModelTypes.Contains(type))
            return BackboneFamily.Llama;
        throw new InvalidDataException(
            $"{folder} holds a '{type}' model (model_type in {HuggingFaceConfigFile.FileName}); the decoders that load are our GPT checkpoints and the model types {string.Join(", ", ModelTypes)}.");
    }

    private static string? ModelType(string configPath)
    {
        if (!File.Exists(configPath)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(configPath))?["model_type"] is JsonValue value && value.TryGetValue(out string? type) ? type : null;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null; // the GPT loader names what is wrong with the file
        }
    }
}
