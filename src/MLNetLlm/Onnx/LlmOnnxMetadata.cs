using System.Text.Json;
using System.Text.Json.Serialization;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Onnx;

/// <summary>
/// What an exported MLNetLlm ONNX model carries beside its graph, in the model's <c>metadata_props</c>: its kind, the
/// shape a scorer needs (context length, layers, heads for the past key/values), the class labels or pooling, and the
/// tokenizer that feeds it, whole, so the model file alone is enough to score text.
/// </summary>
public sealed record LlmOnnxMetadata
{
    /// <summary>The metadata key holding this record (without the tokenizer) as JSON.</summary>
    public const string Key = "mlnetllm";

    /// <summary>The metadata key holding the tokenizer's saved files as a JSON object of file name to base64 content.</summary>
    public const string TokenizerKey = "mlnetllm.tokenizer";

    /// <summary>The version of this layout; a scorer refuses a newer one.</summary>
    public const int CurrentFormatVersion = 1;

    private static readonly JsonSerializerOptions Json = new()
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>The layout version the model was written with.</summary>
    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>What the graph computes.</summary>
    public required LlmOnnxKind Kind { get; init; }

    /// <summary>The tokenizer's <see cref="LlmTokenizer.Name"/>.</summary>
    public required string TokenizerName { get; init; }

    /// <summary>Ids the model accepts: <c>[0, VocabularySize)</c>.</summary>
    public required int VocabularySize { get; init; }

    /// <summary><see cref="TokenizerFingerprint.Of"/> of the tokenizer the model was trained with.</summary>
    public required string VocabularyFingerprint { get; init; }

    /// <summary>The longest sequence (past included) the model takes.</summary>
    public required int ContextLength { get; init; }

    /// <summary>Transformer blocks: the number of past key/value pairs.</summary>
    public required int Layers { get; init; }

    /// <summary>Attention heads per block.</summary>
    public required int Heads { get; init; }

    /// <summary>Width of the hidden states.</summary>
    public required int EmbeddingSize { get; init; }

    /// <summary>Key/value heads of the past tensors when fewer than <see cref="Heads"/> (grouped-query attention); null when equal.</summary>
    public int? KeyValueHeads { get; init; }

    /// <summary>Width of one head when it is not <see cref="EmbeddingSize"/> / <see cref="Heads"/> (Qwen3); null otherwise.</summary>
    public int? HeadWidth { get; init; }

    /// <summary>Width of one head: <see cref="HeadWidth"/>, else <see cref="EmbeddingSize"/> / <see cref="Heads"/>.</summary>
    [JsonIgnore]
    public int HeadSize => HeadWidth ?? EmbeddingSize / Heads;

    /// <summary>Heads of each past key and value tensor: <see cref="KeyValueHeads"/>, else <see cref="Heads"/>.</summary>
    [JsonIgnore]
    public int PastHeads => KeyValueHeads ?? Heads;

    /// <summary>The padding id the tokenizer feeding the model uses; null when it has none (any id works under a 0 mask).</summary>
    public int? PaddingId { get; init; }

    /// <summary>The end-of-text id that ends generation, if any.</summary>
    public int? EndOfTextId { get; init; }

    /// <summary>Class labels in score order (classifiers only); a binary classifier's are <c>False</c> and <c>True</c>.</summary>
    public IReadOnlyList<string>? ClassLabels { get; init; }

    /// <summary>How token states were pooled (classifiers and embedders): <c>LastToken</c> or <c>Mean</c>.</summary>
    public string? Pooling { get; init; }

    /// <summary>Whether the embedding output is L2-normalised (embedders only).</summary>
    public bool? Normalized { get; init; }

    /// <summary>Inputs and outputs with their element types and shapes, one per line, for people reading the model.</summary>
    public string? Signature { get; init; }

    /// <summary>The tokenizer's saved files (<see cref="LlmTokenizer.Save"/>), by file name.</summary>
    [JsonIgnore]
    public IReadOnlyDictionary<string, byte[]> TokenizerFiles { get; init; } = new Dictionary<string, byte[]>();

    /// <summary>Fills the tokenizer fields from <paramref name="tokenizer"/>: its files, name, size, fingerprint, padding and end-of-text ids.</summary>
    public static LlmOnnxMetadata For(LlmOnnxKind kind, LlmTokenizer tokenizer, int contextLength, int layers, int heads, int embeddingSize)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var folder = Directory.CreateTempSubdirectory("mlnetllm-tokenizer-");
        try
        {
            tokenizer.Save(folder.FullName);
            var files = Directory.EnumerateFiles(folder.FullName).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes, StringComparer.Ordinal);
            return new LlmOnnxMetadata
            {
                Kind = kind,
                TokenizerName = tokenizer.Name,
                VocabularySize = tokenizer.VocabularySize,
                VocabularyFingerprint = TokenizerFingerprint.Of(tokenizer),
                ContextLength = contextLength,
                Layers = layers,
                Heads = heads,
                EmbeddingSize = embeddingSize,
                PaddingId = tokenizer.PaddingId,
                EndOfTextId = tokenizer.EndOfTextId,
                TokenizerFiles = files,
            };
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The two metadata entries (<see cref="Key"/>, <see cref="TokenizerKey"/>) to store in the ONNX model.</summary>
    public IReadOnlyDictionary<string, string> ToProperties() => new Dictionary<string, string>
    {
        [Key] = JsonSerializer.Serialize(this, Json),
        [TokenizerKey] = JsonSerializer.Serialize(TokenizerFiles.ToDictionary(f => f.Key, f => Convert.ToBase64String(f.Value)), Json),
    };

    /// <summary>Reads the record back from an ONNX model's metadata entries.</summary>
    /// <param name="properties">The model's <c>metadata_props</c> (ONNX Runtime's <c>ModelMetadata.CustomMetadataMap</c>).</param>
    /// <param name="source">The model's path, for error messages.</param>
    /// <exception cref="InvalidDataException">The model was not exported by MLNetLlm, by a newer version, or its metadata is damaged.</exception>
    public static LlmOnnxMetadata FromProperties(IReadOnlyDictionary<string, string> properties, string source)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (!properties.TryGetValue(Key, out var json))
            throw new InvalidDataException($"{source} has no '{Key}' metadata: it was not exported by MLNetLlm, so its inputs and tokenizer are unknown.");
        try
        {
            var metadata = JsonSerializer.Deserialize<LlmOnnxMetadata>(json, Json) ?? throw new InvalidDataException($"{source}: the '{Key}' metadata is empty.");
            if (metadata.FormatVersion > CurrentFormatVersion)
                throw new InvalidDataException($"{source} was exported with metadata version {metadata.FormatVersion}; this MLNetLlm reads up to {CurrentFormatVersion}.");
            var files = properties.TryGetValue(TokenizerKey, out var packed)
                ? (JsonSerializer.Deserialize<Dictionary<string, string>>(packed, Json) ?? []).ToDictionary(f => f.Key, f => Convert.FromBase64String(f.Value), StringComparer.Ordinal)
                : [];
            return metadata with { TokenizerFiles = files };
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw new InvalidDataException($"{source}: the MLNetLlm metadata is damaged: {e.Message}", e);
        }
    }

    /// <summary>Rebuilds the tokenizer stored in the model.</summary>
    /// <exception cref="InvalidDataException">The model stores no tokenizer, or a damaged one.</exception>
    public LlmTokenizer LoadTokenizer()
    {
        if (TokenizerFiles.Count == 0) throw new InvalidDataException("The ONNX model stores no tokenizer; pass the tokenizer it was trained with.");
        var folder = Directory.CreateTempSubdirectory("mlnetllm-tokenizer-");
        try
        {
            foreach (var (name, content) in TokenizerFiles)
                File.WriteAllBytes(Path.Combine(folder.FullName, Path.GetFileName(name)), content);
            return LlmTokenizers.Load(folder.FullName);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>Checks that <paramref name="tokenizer"/> produces the ids this model was trained on.</summary>
    /// <exception cref="ArgumentException">The tokenizer's vocabulary differs from the model's (size or content).</exception>
    public void CheckTokenizer(LlmTokenizer tokenizer, string parameterName = "tokenizer")
    {
        ArgumentNullException.ThrowIfNull(tokenizer, parameterName);
        if (tokenizer.VocabularySize != VocabularySize || TokenizerFingerprint.Of(tokenizer) != VocabularyFingerprint)
            throw new ArgumentException(
                $"The tokenizer '{tokenizer.Name}' ({tokenizer.VocabularySize} ids) does not match the model's '{TokenizerName}' ({VocabularySize} ids): its vocabulary differs, so the ids would mean other tokens. Use the tokenizer stored in the model.",
                parameterName);
    }
}
