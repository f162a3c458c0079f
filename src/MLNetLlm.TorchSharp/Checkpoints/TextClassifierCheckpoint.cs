using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// A saved <see cref="TextClassifier"/>: a folder with <c>model.safetensors</c> (every parameter under its own name,
/// float32: <c>transformer.*</c>, <c>score.weight</c>, <c>score.bias</c>, and with LoRA the adapters
/// <c>transformer.h.{i}.attn.c_attn.lora_A</c> / <c>lora_B</c> beside the base weights) and <c>classifier.json</c>
/// (the backbone's family and shape, class count, pooling, and the LoRA rank and alpha when it has adapters). Adapters are saved as
/// they are, not merged, so a loaded classifier can go on training them; call <see cref="TextClassifier.MergeLora"/>
/// before saving for the family's plain names. Never pickle; a save replaces the previous one only once every file is written.
/// </summary>
public static class TextClassifierCheckpoint
{
    /// <summary>The weights file.</summary>
    public const string WeightsFileName = "model.safetensors";

    /// <summary>The classifier's configuration as JSON.</summary>
    public const string ConfigFileName = "classifier.json";

    private const string Format = "mlnetllm-gpt-classifier";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Converters = { new JsonStringEnumConverter() } };

    /// <summary>Writes <paramref name="classifier"/> to <paramref name="directory"/> (created when missing).</summary>
    public static void Save(TextClassifier classifier, string directory)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var entries = classifier.named_parameters()
            .Select(p => TorchSafetensors.Entry(p.name, p.parameter, SafetensorsDType.F32, transposed: false))
            .ToList();
        var config = TextClassifierConfig.Of(classifier);
        StagedFolderWrite.Write(directory, staging =>
        {
            SafetensorsWriter.Write(Path.Combine(staging, WeightsFileName), entries, new Dictionary<string, string> { ["format"] = Format });
            File.WriteAllText(Path.Combine(staging, ConfigFileName), JsonSerializer.Serialize(config, Json));
        }, name => name is WeightsFileName or ConfigFileName);
    }

    /// <summary>Loads the classifier saved in <paramref name="directory"/>, in evaluation mode; the caller disposes it.</summary>
    /// <param name="directory">A folder written by <see cref="Save"/>.</param>
    /// <param name="device">Where the classifier lives; the CPU when null.</param>
    /// <exception cref="FileNotFoundException">A file of the checkpoint is missing.</exception>
    /// <exception cref="InvalidDataException">The folder is not a classifier checkpoint, or a parameter is missing,
    /// has another shape, an extra tensor is present, or a file is corrupt; the message names the first problem.</exception>
    public static TextClassifier Load(string directory, Device? device = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var folder = Path.GetFullPath(directory);
        var config = ReadConfig(folder);
        var weightsPath = Path.Combine(folder, WeightsFileName);
        if (!File.Exists(weightsPath)) throw new FileNotFoundException($"{folder} is not a classifier checkpoint: {WeightsFileName} is missing.", weightsPath);
        using var weights = SafetensorsReader.Open(weightsPath);
        if (!weights.Metadata.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"{weightsPath} is not an MLNetLlm classifier (its metadata format is '{format ?? "missing"}').");

        // Seeded initialisation, overwritten by the load: loading draws nothing from torch's global generator.
        var classifier = new TextClassifier(config.CreateBackbone(device), config.ClassCount, config.Pooling, seed: 0);
        try
        {
            if (config.LoraRank is { } rank) Lora.Apply(classifier.Backbone, rank, config.LoraAlpha ?? rank, seed: 0);
            LoadParameters(classifier, weights, folder);
        }
        catch
        {
            classifier.Dispose();
            throw;
        }
        classifier.eval();
        return classifier;
    }

    internal static void LoadParameters(TextClassifier classifier, SafetensorsReader weights, string folder) =>
        ParameterLoader.Load(
            classifier.named_parameters().Select(p => (p.name, (Tensor)p.parameter)),
            name => weights.TryGetTensor(name, out var tensor) ? new CheckpointTensor(name, weights, tensor, Transposed: false) : null,
            used => weights.Tensors.Select(t => t.Name).Where(name => !used.Contains(name)),
            folder);

    internal static TextClassifierConfig ReadConfig(string folder)
    {
        var path = Path.Combine(folder, ConfigFileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"{folder} is not a classifier checkpoint: {ConfigFileName} is missing.", path);
        TextClassifierConfig config;
        try
        {
            config = JsonSerializer.Deserialize<TextClassifierConfig>(File.ReadAllText(path), Json) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid classifier configuration: {e.Message}", e);
        }
        if (config.Format != TextClassifierConfig.FormatName)
            throw new InvalidDataException($"{path} is not an MLNetLlm classifier configuration (format '{config.Format}', expected '{TextClassifierConfig.FormatName}').");
        try
        {
            config.ValidateBackbone();
            if (config.ClassCount < 2) throw new ArgumentException($"class_count is {config.ClassCount}; a classifier needs at least 2.");
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path} describes a classifier that cannot be built: {e.Message}", e);
        }
        return config;
    }
}
