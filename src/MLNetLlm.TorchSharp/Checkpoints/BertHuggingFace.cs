using System.Text.Json;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// BERT encoders in the Hugging Face layout: a folder with <c>config.json</c>, <c>model.safetensors</c> (or shards
/// listed by <c>model.safetensors.index.json</c>) and <c>vocab.txt</c>, as <c>bert-base-uncased</c>,
/// <c>sentence-transformers/all-MiniLM-L6-v2</c> or <c>Snowflake/snowflake-arctic-embed-xs</c> are published.
/// </summary>
/// <remarks>
/// Tensor names are Hugging Face's <c>BertModel</c> names, with or without the <c>bert.</c> prefix of its task models;
/// <c>embeddings.position_ids</c>, the pooler (<c>pooler.*</c>) and pre-training heads (<c>cls.*</c>) are ignored, any
/// other tensor the model does not have is an error. The config is checked against every tensor's shape before the
/// model is allocated, naming the first mismatch. F32, F16, BF16 and F64 convert to float32. Pickle checkpoints
/// (<c>pytorch_model.bin</c>) are never read.
/// </remarks>
public static class BertHuggingFace
{
    private const string Prefix = "bert.";
    private const string TokenizerConfigFileName = "tokenizer_config.json";

    /// <summary>Builds the encoder in <paramref name="folder"/>, in evaluation mode.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <exception cref="FileNotFoundException">The folder lacks <c>config.json</c> or weights.</exception>
    /// <exception cref="InvalidDataException">
    /// The config describes a model we do not compute or cannot build, a weight is missing, has another shape than the
    /// config implies or is not a float, the checkpoint holds a tensor the model does not have, or a file is corrupt.
    /// All of it is checked before the model is allocated; the message names the first problem.
    /// </exception>
    public static BertModel Load(string folder, Device? device = null)
    {
        var fullFolder = Path.GetFullPath(folder);
        var config = BertHuggingFaceConfig.Read(fullFolder);
        using var weights = SafetensorsFolder.Open(fullFolder);
        string prefix = weights.TryGetTensor(Prefix + "embeddings.word_embeddings.weight", out _, out _) ? Prefix : "";
        CheckShapes(config, weights, prefix);

        var model = new BertModel(config, device);
        try
        {
            ParameterLoader.Load(
                model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)),
                name => weights.TryGetTensor(prefix + name, out var file, out var tensor) ? new CheckpointTensor(prefix + name, file, tensor, Transposed: false) : null,
                used => Leftovers(weights, used),
                weights.Folder);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>
    /// The WordPiece tokenizer of the checkpoint in <paramref name="folder"/>: its <c>vocab.txt</c>, lower-cased unless
    /// <c>tokenizer_config.json</c> says <c>"do_lower_case": false</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>vocab.txt</c>.</exception>
    /// <exception cref="InvalidDataException">The vocabulary or the tokenizer config is malformed.</exception>
    public static LlmTokenizer LoadTokenizer(string folder)
    {
        var fullFolder = Path.GetFullPath(folder);
        var vocabulary = Path.Combine(fullFolder, "vocab.txt");
        if (!File.Exists(vocabulary))
            throw new FileNotFoundException($"Checkpoint folder {fullFolder} has no vocab.txt (a BERT WordPiece vocabulary).", vocabulary);
        return LlmTokenizers.WordPiece(vocabulary, new WordPieceTokenizerOptions { LowerCase = ReadLowerCase(fullFolder) });
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a Hugging Face BERT checkpoint: <c>config.json</c> and <c>model.safetensors</c>
    /// (F32, Hugging Face names, no prefix). The previous checkpoint in the folder is replaced only once everything is
    /// written. The tokenizer is not written: put the model's <c>vocab.txt</c> beside them.
    /// </summary>
    public static void Save(BertModel model, string folder)
    {
        ArgumentNullException.ThrowIfNull(model);
        var entries = model.named_parameters()
            .Select(p => TorchSafetensors.Entry(p.name, p.parameter, SafetensorsDType.F32, transposed: false))
            .ToList();
        StagedFolderWrite.Write(folder, staging =>
        {
            BertHuggingFaceConfig.Write(staging, model.Config);
            SafetensorsWriter.Write(Path.Combine(staging, SafetensorsFolder.SingleFileName), entries, new Dictionary<string, string> { ["format"] = "pt" });
        }, name => name is BertHuggingFaceConfig.FileName or SafetensorsFolder.SingleFileName or SafetensorsFolder.IndexFileName);
    }

    // Before allocating: every parameter the config implies is in the files, with its shape, as a float.
    private static void CheckShapes(BertConfig config, SafetensorsFolder weights, string prefix)
    {
        foreach (var (name, shape) in config.ParameterShapes())
        {
            if (!weights.TryGetTensor(prefix + name, out _, out var tensor))
                throw new InvalidDataException($"Checkpoint {weights.Folder} has no tensor '{prefix + name}', which config.json " +
                    $"({config.Layers} layers, width {config.HiddenSize}) implies.");
            if (!tensor.Shape.SequenceEqual(shape))
                throw new InvalidDataException($"Tensor '{prefix + name}' has shape {tensor.ShapeText} in {weights.Folder}, but config.json " +
                    $"(vocab_size {config.VocabularySize}, hidden_size {config.HiddenSize}, intermediate_size {config.IntermediateSize}, " +
                    $"max_position_embeddings {config.MaxPositions}, type_vocab_size {config.TypeVocabularySize}) implies {SafetensorsTensorInfo.FormatShape(shape)}.");
            if (!tensor.DType.IsConvertibleFloat())
                throw new InvalidDataException($"Tensor '{prefix + name}' has dtype {tensor.DType} in {weights.Folder}; a float tensor (F32, F16, BF16 or F64) is expected.");
        }
        var unexpected = Leftovers(weights, config.ParameterShapes().Select(p => prefix + p.Name).ToHashSet()).FirstOrDefault();
        if (unexpected is not null)
            throw new InvalidDataException($"Checkpoint {weights.Folder} has tensor '{unexpected}', which a BERT encoder does not have.");
    }

    private static IEnumerable<string> Leftovers(SafetensorsFolder weights, IReadOnlySet<string> used) => weights.TensorNames
        .Where(name => !used.Contains(name) && !IsIgnored(name.StartsWith(Prefix, StringComparison.Ordinal) ? name[Prefix.Length..] : name))
        .Order(StringComparer.Ordinal);

    private static bool IsIgnored(string name) =>
        name == "embeddings.position_ids" || name.StartsWith("pooler.", StringComparison.Ordinal) || name.StartsWith("cls.", StringComparison.Ordinal);

    private static bool ReadLowerCase(string folder)
    {
        var path = Path.Combine(folder, TokenizerConfigFileName);
        if (!File.Exists(path)) return true;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            return !document.RootElement.TryGetProperty("do_lower_case", out var value) || value.ValueKind != JsonValueKind.False;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
