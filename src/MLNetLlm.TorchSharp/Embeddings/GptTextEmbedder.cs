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
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts)
    {
        var tokens = texts.Select(Tokenize).ToArray();
        int longest = Math.Max(1, tokens.Max(t => t.Length));
        var ids = new long[tokens.Length * longest];
        for (int row = 0; row < tokens.Length; row++)
            tokens[row].CopyTo(ids.AsSpan(row * longest));

        float[] hidden;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            _model.eval();
            var input = tensor(ids, [tokens.Length, longest], ScalarType.Int64).to(_model.Device);
            hidden = _model.ForwardHiddenCore(input, null, null).to(ScalarType.Float32).cpu().data<float>().ToArray(); // (B, T, C)
        }

        var vectors = new float[tokens.Length][];
        for (int row = 0; row < tokens.Length; row++)
        {
            vectors[row] = VectorPooling.Pool(hidden, longest, Dimension, row, tokens[row].Length, _options.Pooling);
            if (_options.Normalize)
                VectorPooling.NormalizeL2(vectors[row]);
        }
        return vectors;
    }

    private long[] Tokenize(string? text)
    {
        var ids = _tokenizer.EncodeToIds(text);
        if (ids.Count == 0)
            return _tokenizer.EndOfTextId is int end ? [end] : [];
        return ids.Take(_maxTokens).Select(id => (long)id).ToArray();
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
