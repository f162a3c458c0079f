using System.Text.Json;
using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Onnx;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.TorchSharp.Embeddings.PretrainedEncoder.Loader))]

namespace MLNetLlm.TorchSharp.Embeddings;

/// <summary>
/// A sentence embedder on TorchSharp: a <see cref="BertModel"/>, its WordPiece tokenizer and its pooling, run as
/// sentence-transformers runs it: windows of <see cref="MaxTokens"/> word pieces framed <c>[CLS] … [SEP]</c> (a longer
/// text is read in windows, see <see cref="LongTextOptions"/>), texts batched and padded on the right, the last hidden states pooled over the real tokens and
/// L2-normalised. Get the bundled ones from <see cref="PretrainedEncoders"/>; plug it into
/// <c>mlContext.Transforms.Llm.EmbedText(..., embedder: encoder)</c>, or fine-tune its <see cref="Model"/>.
/// </summary>
/// <remarks>
/// Tokenization is <c>OnnxSentenceEmbedder</c>'s: null and empty texts are <c>[CLS] [SEP]</c>, tabs and line breaks
/// are spaces. Each batch runs in its own dispose scope, in evaluation mode without gradients, so repeated calls keep
/// the live tensor count flat. The encoder owns its model and disposes it.
/// </remarks>
public sealed class PretrainedEncoder : TextEmbedder
{
    internal const string Kind = "MLNetLlm.PretrainedEncoder";
    private const string SettingsFile = "encoder.json";

    private readonly BertModel _model;
    private readonly LlmTokenizer _tokenizer;
    private readonly string? _bundled;

    /// <summary>Bundles <paramref name="model"/> (which the encoder then owns) with its tokenizer and pooling.</summary>
    /// <param name="model">The encoder; disposed with this object.</param>
    /// <param name="tokenizer">Its tokenizer; its vocabulary must fit the model's.</param>
    /// <param name="pooling">Mean over real tokens (all-MiniLM-L6-v2) or the first token, <c>[CLS]</c> (arctic-embed).</param>
    /// <param name="maxTokens">The most word pieces a text keeps, special tokens included; the model's positions when null.</param>
    /// <param name="normalize">Whether vectors are scaled to length 1 (default), so a dot product is the cosine similarity.</param>
    /// <param name="name">A name for logs; a description of the model when null.</param>
    /// <exception cref="ArgumentException">The tokenizer's vocabulary is larger than the model's, or <paramref name="maxTokens"/> is outside [1, max positions].</exception>
    public PretrainedEncoder(BertModel model, LlmTokenizer tokenizer, EmbeddingPooling pooling = EmbeddingPooling.Mean, int? maxTokens = null, bool normalize = true, string? name = null)
        : this(model, tokenizer, pooling, maxTokens, normalize, name, bundled: null)
    {
    }

    internal PretrainedEncoder(BertModel model, LlmTokenizer tokenizer, EmbeddingPooling pooling, int? maxTokens, bool normalize, string? name, string? bundled)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.VocabularySize > model.Config.VocabularySize)
            throw new ArgumentException($"The tokenizer {tokenizer.Name} has {tokenizer.VocabularySize} ids but the model embeds only {model.Config.VocabularySize}: they do not belong together.", nameof(tokenizer));
        if (!Enum.IsDefined(pooling))
            throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        MaxTokens = maxTokens ?? model.Config.MaxPositions;
        if (MaxTokens < 1 || MaxTokens > model.Config.MaxPositions)
            throw new ArgumentException($"maxTokens must be in [1, {model.Config.MaxPositions}] (the model's positions); it is {MaxTokens}.", nameof(maxTokens));
        _model = model;
        _tokenizer = tokenizer;
        _bundled = bundled;
        Pooling = pooling;
        Normalize = normalize;
        Name = name ?? $"BERT encoder ({model.Config.Layers} layers, width {model.Config.HiddenSize}, {pooling} pooling)";
        _model.eval();
    }

    /// <summary>The default number of texts run together by <see cref="TextEmbedder.Embed(IReadOnlyList{string})"/>.</summary>
    public const int DefaultBatchSize = 32;

    /// <summary>The encoder (for fine-tuning or adapters).</summary>
    public BertModel Model => _model;

    /// <summary>The tokenizer that feeds it.</summary>
    public LlmTokenizer Tokenizer => _tokenizer;

    /// <summary>How the last hidden states become one vector.</summary>
    public EmbeddingPooling Pooling { get; }

    /// <summary>The most word pieces a text keeps, special tokens included.</summary>
    public int MaxTokens { get; }

    /// <summary>Whether vectors are scaled to length 1.</summary>
    public bool Normalize { get; }

    /// <summary>
    /// Exports the encoder as an embedder with its own pooling and normalisation, so <c>EmbedTextWithOnnx</c> gives its
    /// vectors without libtorch (see <c>OnnxExporter.ExportEmbedder</c>). The encoder is left unchanged.
    /// </summary>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="options">Weight type and external data; <see cref="OnnxExportOptions.Kind"/> null or the kind exported.</param>
    public LlmOnnxMetadata ExportToOnnx(string path, OnnxExportOptions? options = null) =>
        OnnxExporter.ExportEmbedder(_model, _tokenizer, Pooling, Normalize, path, options);

    /// <inheritdoc/>
    public override int Dimension => _model.Config.HiddenSize;

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override string PersistenceKind => Kind;

    /// <summary>
    /// Embeds <paramref name="texts"/> in batches of <paramref name="batchSize"/>, in order: one vector of
    /// <see cref="Dimension"/> floats per text (length 1 when <see cref="Normalize"/>). Null texts are empty texts. A
    /// text longer than <see cref="MaxTokens"/> is read whole as <see cref="LongTextOptions.Default"/> says.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public float[][] Embed(IReadOnlyList<string?> texts, int batchSize) => Embed(texts, batchSize, LongTextOptions.Default);

    /// <summary>
    /// Embeds <paramref name="texts"/> in batches of <paramref name="batchSize"/> texts, reading texts longer than
    /// <see cref="MaxTokens"/> as <paramref name="longTexts"/> say: the windows of a batch run together, grouped by
    /// length, at most <paramref name="batchSize"/> windows per forward pass.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="batchSize"/> is less than 1, or an option of <paramref name="longTexts"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The encoder was disposed.</exception>
    public float[][] Embed(IReadOnlyList<string?> texts, int batchSize, LongTextOptions longTexts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(longTexts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var framing = TokenFraming.Of(_tokenizer);
        long padding = _tokenizer.PaddingId ?? 0;
        var vectors = new float[texts.Count][];
        for (int start = 0; start < texts.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, texts.Count - start);
            var encoded = Enumerable.Range(start, count).Select(i => TokenBatch.EncodeWhole(texts[i], _tokenizer)).ToArray();
            var pooled = WindowedEmbedding.Embed(encoded, framing, MaxTokens, longTexts, Normalize, batchSize,
                windows => BackboneEmbedding.Run(_model, TokenBatch.Create(windows, padding), Pooling, Normalize));
            pooled.CopyTo(vectors, start);
        }
        return vectors;
    }

    /// <inheritdoc/>
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts) => Embed(texts, DefaultBatchSize);

    /// <inheritdoc/>
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts, LongTextOptions longTexts) => Embed(texts, DefaultBatchSize, longTexts);

    /// <summary>
    /// Saves the encoder: a bundled model saves only its name (its weights come with MLNetLlm); any other saves its
    /// weights as a Hugging Face folder (<c>model/</c>), its tokenizer (<c>tokenizer/</c>) and its settings.
    /// </summary>
    public override void SaveTo(string directory)
    {
        var settings = new Settings(Pooling, MaxTokens, Normalize, Name, _bundled);
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(settings));
        if (_bundled is not null) return;
        BertHuggingFace.Save(_model, Path.Combine(directory, "model"));
        _tokenizer.Save(Path.Combine(directory, "tokenizer"));
    }

    private bool _disposed;

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (!disposing || _disposed) return;
        _disposed = true;
        _model.Dispose();
    }

    private sealed record Settings(EmbeddingPooling Pooling, int MaxTokens, bool Normalize, string Name, string? Bundled);

    /// <summary>Rebuilds a saved <see cref="PretrainedEncoder"/>.</summary>
    public sealed class Loader : ITextEmbedderLoader
    {
        /// <inheritdoc/>
        public string Kind => PretrainedEncoder.Kind;

        /// <inheritdoc/>
        public TextEmbedder Load(string directory)
        {
            var path = Path.Combine(directory, SettingsFile);
            if (!File.Exists(path))
                throw new InvalidDataException($"The saved encoder in {directory} lacks {SettingsFile}.");
            var settings = JsonSerializer.Deserialize<Settings>(File.ReadAllText(path)) ?? throw new InvalidDataException($"{path} is empty.");
            if (settings.Bundled is not null)
                return PretrainedEncoders.Bundled(settings.Bundled);
            var model = BertHuggingFace.Load(Path.Combine(directory, "model"));
            try
            {
                var tokenizer = LlmTokenizers.Load(Path.Combine(directory, "tokenizer"));
                return new PretrainedEncoder(model, tokenizer, settings.Pooling, settings.MaxTokens, settings.Normalize, settings.Name);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
    }
}
