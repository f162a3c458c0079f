using System.Text.Json;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.TorchSharp.Embeddings.GptTextEmbedder.Loader))]

namespace MLNetLlm.TorchSharp.Embeddings;

/// <summary>
/// Text vectors from any of our GPT models (the shipped one, a trained one, an imported GPT-2): the final hidden states
/// (after <c>ln_f</c>), pooled over the text's tokens and optionally L2-normalised. Plug it into
/// <c>mlContext.Transforms.Llm.EmbedText(..., embedder: new GptTextEmbedder(model, tokenizer))</c>.
/// </summary>
/// <remarks>
/// Texts of a batch are padded on the right; causal attention means padding never reaches a real token's state, and
/// pooling reads only real tokens, so a text's vector does not depend on its batch. An empty or null text is embedded
/// as the tokenizer's end-of-text token alone (the zero vector when it has none). The embedder does not own the model
/// it is given (dispose the model yourself); one loaded from a saved pipeline owns and disposes its copy.
/// </remarks>
public sealed class GptTextEmbedder : TextEmbedder
{
    private const string Kind = "MLNetLlm.GptTextEmbedder";
    private const string OptionsFileName = "gpt-embedder.json";

    private readonly GptModel _model;
    private readonly LlmTokenizer _tokenizer;
    private readonly GptTextEmbedderOptions _options;
    private readonly int _maxTokens;
    private readonly bool _ownsModel;

    /// <summary>Embeds with <paramref name="model"/>, tokenizing with <paramref name="tokenizer"/>.</summary>
    /// <exception cref="ArgumentException">The tokenizer's vocabulary is larger than the model's, or MaxTokens is outside [1, context length].</exception>
    public GptTextEmbedder(GptModel model, LlmTokenizer tokenizer, GptTextEmbedderOptions? options = null)
        : this(model, tokenizer, options ?? new(), ownsModel: false)
    {
    }

    private GptTextEmbedder(GptModel model, LlmTokenizer tokenizer, GptTextEmbedderOptions options, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.VocabularySize > model.Config.VocabularySize)
            throw new ArgumentException($"The tokenizer {tokenizer.Name} has {tokenizer.VocabularySize} ids but the model embeds only " +
                $"{model.Config.VocabularySize}: they do not belong together.", nameof(tokenizer));
        _maxTokens = options.MaxTokens ?? model.Config.ContextLength;
        if (_maxTokens < 1 || _maxTokens > model.Config.ContextLength)
            throw new ArgumentException($"GptTextEmbedderOptions.MaxTokens must be in [1, {model.Config.ContextLength}] (the model's context); it is {_maxTokens}.", nameof(options));
        _model = model;
        _tokenizer = tokenizer;
        _options = options;
        _ownsModel = ownsModel;
    }

    /// <summary>The GPT embedded with (for the ONNX export).</summary>
    internal GptModel Model => _model;

    /// <summary>The tokenizer (for the ONNX export).</summary>
    internal LlmTokenizer Tokenizer => _tokenizer;

    /// <summary>Pooling and normalisation (for the ONNX export).</summary>
    internal GptTextEmbedderOptions Options => _options;

    /// <summary>Exports what this embedder computes to ONNX: ids and mask to its pooled (and, if it normalises,
    /// unit-length) vector, scored without libtorch by <c>EmbedTextWithOnnx</c> (see <c>OnnxExporter.ExportEmbedder</c>).</summary>
    public LlmOnnxMetadata ExportToOnnx(string path, OnnxExportOptions? options = null) =>
        OnnxExporter.ExportEmbedder(_model, _tokenizer, _options.Pooling, _options.Normalize, path, options);

    /// <inheritdoc/>
    public override int Dimension => _model.Config.EmbeddingSize;

    /// <inheritdoc/>
    public override string Name => $"GPT ({_model.Config.Layers} layers, width {_model.Config.EmbeddingSize}, {_options.Pooling} pooling)";

    /// <inheritdoc/>
    public override string PersistenceKind => Kind;

    /// <inheritdoc/>
    public override void SaveTo(string directory)
    {
        GptCheckpoint.Save(_model, Path.Combine(directory, "model"), _tokenizer);
        File.WriteAllText(Path.Combine(directory, OptionsFileName), JsonSerializer.Serialize(_options));
    }

    /// <inheritdoc/>
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts) => EmbedCore(texts, LongTextOptions.Default);

    /// <inheritdoc/>
    /// <remarks>
    /// Texts are read as they are (<see cref="TokenBatch.EncodeAsIs"/>); a text longer than the embedder's
    /// <c>MaxTokens</c> is split into plain token windows. The windows of the batch run together, grouped by length, at
    /// most the batch's number of texts (32 at least) per forward pass.
    /// </remarks>
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts, LongTextOptions longTexts)
    {
        var encoded = texts.Select(text => TokenBatch.EncodeAsIs(text, _tokenizer)).ToArray();
        long padding = _tokenizer.PaddingId ?? 0;
        return WindowedEmbedding.Embed(encoded, TokenFraming.Of(_tokenizer), _maxTokens, longTexts, _options.Normalize, Math.Max(texts.Count, 32),
            windows => BackboneEmbedding.Run(_model, TokenBatch.Create(windows, padding), _options.Pooling, _options.Normalize));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsModel)
            _model.Dispose();
    }

    /// <summary>Rebuilds a saved <see cref="GptTextEmbedder"/> (its model, tokenizer and options).</summary>
    public sealed class Loader : ITextEmbedderLoader
    {
        /// <inheritdoc/>
        public string Kind => GptTextEmbedder.Kind;

        /// <inheritdoc/>
        public TextEmbedder Load(string directory)
        {
            var optionsPath = Path.Combine(directory, OptionsFileName);
            if (!File.Exists(optionsPath))
                throw new InvalidDataException($"The saved GPT embedder in {directory} lacks {OptionsFileName}.");
            var options = JsonSerializer.Deserialize<GptTextEmbedderOptions>(File.ReadAllText(optionsPath))
                ?? throw new InvalidDataException($"{optionsPath} is empty.");
            var checkpoint = GptCheckpoint.Load(Path.Combine(directory, "model"));
            if (checkpoint.Tokenizer is null)
            {
                checkpoint.Model.Dispose();
                throw new InvalidDataException($"The saved GPT embedder in {directory} has no tokenizer.");
            }
            return new GptTextEmbedder(checkpoint.Model, checkpoint.Tokenizer, options, ownsModel: true);
        }
    }
}
