using System.Text.Json;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// MLNetLlm's own GPT checkpoint: a folder with <c>model.safetensors</c> (the model's parameters under their own
/// names, float32, Linear layout), <c>config.json</c> (the <see cref="GptConfig"/>) and, when saved with one, the
/// tokenizer in <c>tokenizer/</c>. Never pickle. Saving replaces a previous checkpoint only once every file is written.
/// </summary>
/// <param name="Model">The loaded model, in evaluation mode; the caller owns it and disposes it.</param>
/// <param name="Tokenizer">The tokenizer saved with it, or null when it was saved without one.</param>
public sealed record GptCheckpoint(GptModel Model, LlmTokenizer? Tokenizer)
{
    /// <summary>The weights file.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The model's <see cref="GptConfig"/> as JSON.</summary>
    public const string ConfigFileName = "config.json";

    /// <summary>The folder the tokenizer is saved in.</summary>
    public const string TokenizerFolderName = "tokenizer";

    /// <summary>The <c>format</c> entry of the weights' metadata that marks our layout.</summary>
    internal const string Format = "mlnetllm-gpt";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>
    /// Writes <paramref name="model"/> (and <paramref name="tokenizer"/>, when given) to <paramref name="directory"/>.
    /// Saved without a tokenizer, the folder's earlier <c>tokenizer/</c> is removed, so a load never pairs the new
    /// weights with an old tokenizer; files the checkpoint does not own are left alone.
    /// </summary>
    /// <exception cref="ArgumentException">The tokenizer has more ids than the model's vocabulary.</exception>
    public static void Save(GptModel model, string directory, LlmTokenizer? tokenizer = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (tokenizer is not null && tokenizer.VocabularySize > model.Config.VocabularySize)
            throw new ArgumentException(
                $"The tokenizer has {tokenizer.VocabularySize} ids but the model only {model.Config.VocabularySize}: they do not belong together.", nameof(tokenizer));
        var entries = model.named_parameters()
            .Select(p => TorchSafetensors.Entry(p.name, p.parameter, SafetensorsDType.F32, transposed: false))
            .ToList();
        StagedFolderWrite.Write(directory, staging =>
        {
            SafetensorsWriter.Write(Path.Combine(staging, WeightsFileName), entries, new Dictionary<string, string> { ["format"] = Format });
            File.WriteAllText(Path.Combine(staging, ConfigFileName), JsonSerializer.Serialize(model.Config, Json));
            tokenizer?.Save(Path.Combine(staging, TokenizerFolderName));
        }, name => name is WeightsFileName or ConfigFileName or TokenizerFolderName);
    }

    /// <summary>Loads the checkpoint in <paramref name="directory"/>.</summary>
    /// <param name="directory">A folder written by <see cref="Save"/>.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <param name="dtype">The parameters' element type: float32 (as saved) by default.</param>
    /// <exception cref="FileNotFoundException">A file of the checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">
    /// The folder is not an MLNetLlm checkpoint, or a parameter is missing, has another shape or dtype, an extra tensor
    /// is present, or a file is truncated or corrupt. The message names the first problem.
    /// </exception>
    public static GptCheckpoint Load(string directory, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var folder = Path.GetFullPath(directory);
        var config = ReadConfig(folder);
        using var weights = OpenWeights(folder);

        var tokenizerFolder = Path.Combine(folder, TokenizerFolderName);
        var tokenizer = Directory.Exists(tokenizerFolder) ? LlmTokenizers.Load(tokenizerFolder) : null;

        var (locate, leftover) = Layout(weights);
        ParameterLoader.Check(GptModel.ParameterShapes(config), locate, leftover, folder); // before anything large is allocated
        var model = new GptModel(config, device, dtype);
        try
        {
            LoadParameters(model, weights, folder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return new GptCheckpoint(model, tokenizer);
    }

    /// <summary>The weights file of the checkpoint in <paramref name="folder"/>, refused when it is not in our layout.</summary>
    internal static SafetensorsReader OpenWeights(string folder)
    {
        var weightsPath = Path.Combine(folder, WeightsFileName);
        var weights = SafetensorsReader.Open(weightsPath);
        if (!weights.Metadata.TryGetValue("format", out var format) || format != Format)
        {
            weights.Dispose();
            throw new InvalidDataException($"{weightsPath} is not an MLNetLlm checkpoint (its metadata format is '{format ?? "missing"}'); " +
                "for a Hugging Face GPT-2 folder use HuggingFaceGpt2.Load.");
        }
        return weights;
    }

    /// <summary>Copies the weights of the checkpoint in <paramref name="folder"/> into <paramref name="model"/>, after checking every name and shape.</summary>
    internal static void LoadParameters(GptModel model, string folder)
    {
        using var weights = OpenWeights(Path.GetFullPath(folder));
        LoadParameters(model, weights, folder);
    }

    /// <summary>Copies <paramref name="weights"/> into <paramref name="model"/>, after checking every name and shape.</summary>
    internal static void LoadParameters(GptModel model, SafetensorsReader weights, string folder)
    {
        var (locate, leftover) = Layout(weights);
        ParameterLoader.Load(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), locate, leftover, folder);
    }

    private static (Func<string, CheckpointTensor?> Locate, Func<IReadOnlySet<string>, IEnumerable<string>> Leftover) Layout(SafetensorsReader weights) => (
        name => weights.TryGetTensor(name, out var tensor) ? new CheckpointTensor(name, weights, tensor, Transposed: false) : null,
        used => weights.Tensors.Select(t => t.Name).Where(name => !used.Contains(name)));

    /// <summary>Refuses a training checkpoint in <paramref name="folder"/> whose GPT has another configuration than <paramref name="model"/>.</summary>
    /// <exception cref="InvalidDataException">The configurations differ (the message shows both).</exception>
    internal static void CheckSameConfig(GptModel model, string folder)
    {
        var saved = ReadConfig(Path.GetFullPath(folder));
        if (saved != model.Config)
            throw new InvalidDataException($"Checkpoint {folder} holds a GPT of another configuration ({saved}) than the model being trained ({model.Config}).");
    }

    /// <summary>The checked <see cref="GptConfig"/> of the checkpoint in <paramref name="folder"/> (a full path).</summary>
    internal static GptConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{folder} is not a GPT checkpoint: {ConfigFileName} is missing.", path);
        // The fields that give the model its shape are required: without them the file would load as GPT-2 small's defaults.
        var (_, _, config) = HuggingFaceConfigFile.Read<GptConfig>(folder, "GptConfig", "vocab_size", "n_positions", "n_embd", "n_head", "n_layer");
        HuggingFaceConfigFile.Validate(path, config.Validate);
        return config;
    }
}
