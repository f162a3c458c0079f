using System.Reflection;
using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using Microsoft.ML.OnnxRuntime;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Embeddings.OnnxSentenceEmbedder.Loader))]

namespace MLNetLlm.Embeddings;

/// <summary>
/// A sentence-embedding model in an ONNX file, run with ONNX Runtime: texts are tokenized, padded to the longest of
/// the batch (attention mask 0 on padding), run in one call, and the token vectors pooled and normalised as
/// <see cref="OnnxSentenceEmbedderOptions"/> say. Create one with <see cref="SentenceEmbedders.FromOnnx"/>, or use a
/// bundled model of the MLNetLlm.Models package (<c>SentenceEmbedders.MiniLmL6V2()</c>).
/// </summary>
/// <remarks>
/// Null and empty texts are embedded as a single space: with a WordPiece tokenizer that adds <c>[CLS]</c>/<c>[SEP]</c>
/// that is <c>[CLS] [SEP]</c>, as sentence-transformers embeds the empty string; with a byte-level BPE, the space token.
/// Text the tokenizer encodes to no token at all (whitespace with a WordPiece tokenizer that adds no special tokens)
/// gets the zero vector. Safe to call from several threads (ONNX Runtime sessions are).
/// </remarks>
public sealed class OnnxSentenceEmbedder : TextEmbedder
{
    internal const string Kind = "MLNetLlm.OnnxSentenceEmbedder";
    private const string ModelFile = "model.onnx";
    private const string OptionsFile = "embedder.json";
    private const string TokenizerFolder = "tokenizer";

    private readonly InferenceSession _session;
    private readonly LlmTokenizer _tokenizer;
    private readonly OnnxSentenceEmbedderOptions _options;
    private readonly string? _modelPath;
    private readonly Bundled? _bundled;
    private readonly bool _idsAreInt32;
    private readonly bool _feedsTokenTypes;
    private readonly bool _outputIsPooled;
    private readonly Lazy<int> _dimension;
    private readonly TokenFraming _framing;
    private bool _disposed;

    // modelBytes: a bundled model's bytes (modelPath null); modelPath: a user's file, copied when the embedder is
    // saved; bundled: the persistence kind and loader assembly of a bundled model, which saves no weights.
    internal OnnxSentenceEmbedder(byte[]? modelBytes, string? modelPath, LlmTokenizer tokenizer, OnnxSentenceEmbedderOptions options,
        string name, Bundled? bundled = null)
        : this(OpenSession(modelBytes, modelPath, tokenizer, options, name), modelPath, tokenizer, options, name, bundled)
    {
    }

    // session: opened already (EmbedTextWithOnnx checks an exported model with the session it then embeds with), owned from here on.
    internal OnnxSentenceEmbedder((InferenceSession Session, string? ProviderFallback) opened, string? modelPath, LlmTokenizer tokenizer,
        OnnxSentenceEmbedderOptions options, string name, Bundled? bundled = null)
    {
        _session = opened.Session;
        _tokenizer = tokenizer;
        _options = options;
        _modelPath = modelPath;
        _bundled = bundled;
        _framing = TokenFraming.Of(tokenizer);
        Name = name;
        ExecutionProviderFallback = opened.ProviderFallback;

        try
        {
            options.Validate();
            (_idsAreInt32, _feedsTokenTypes, _outputIsPooled) = CheckSignature(_session, options);
        }
        catch
        {
            _session.Dispose();
            throw;
        }
        var declared = _session.OutputMetadata[options.OutputName].Dimensions[^1];
        _dimension = declared > 0 ? new Lazy<int>(declared) : new Lazy<int>(() => Run(TokenBatch.Create([""], _tokenizer, _options.MaxTokens))[0].Length);
    }

    private static (InferenceSession, string?) OpenSession(byte[]? modelBytes, string? modelPath, LlmTokenizer tokenizer, OnnxSentenceEmbedderOptions options, string name)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        using var sessionOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL };
        if (options.IntraOpThreads is int threads)
            sessionOptions.IntraOpNumThreads = threads;
        var fallback = MLNetLlm.Onnx.OnnxExecutionProviders.Append(sessionOptions, options.ExecutionProvider);
        try
        {
            return (modelBytes is not null ? new InferenceSession(modelBytes, sessionOptions) : new InferenceSession(modelPath!, sessionOptions), fallback);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"'{modelPath ?? name}' is not a model ONNX Runtime can load: {e.Message}", e);
        }
    }

    /// <summary>The tokenizer that feeds the model.</summary>
    public LlmTokenizer Tokenizer => _tokenizer;

    /// <summary>How the model is fed and its output pooled.</summary>
    public OnnxSentenceEmbedderOptions Options => _options;

    /// <summary>Null when <see cref="OnnxSentenceEmbedderOptions.ExecutionProvider"/> is used; else the message saying why the CPU embeds instead.</summary>
    public string? ExecutionProviderFallback { get; }

    /// <inheritdoc/>
    public override int Dimension => _dimension.Value;

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override string PersistenceKind => _bundled?.Kind ?? Kind;

    internal override string? LoaderAssemblyName => _bundled?.LoaderAssembly.GetName().Name ?? base.LoaderAssemblyName;

    /// <summary>
    /// Saves the embedder. A user's model is copied from its file (<c>model.onnx</c>) with the tokenizer and options; a
    /// bundled model saves only its name, as its weights come with the package that bundles it.
    /// </summary>
    public override void SaveTo(string directory)
    {
        if (_bundled is not null)
        {
            File.WriteAllText(Path.Combine(directory, OptionsFile), JsonSerializer.Serialize(new { Model = Name }, PersistenceJson.Options));
            return;
        }
        if (!File.Exists(_modelPath))
            throw new InvalidOperationException($"Cannot save the embedder: its model file '{_modelPath}' no longer exists.");
        File.Copy(_modelPath, Path.Combine(directory, ModelFile));
        File.WriteAllText(Path.Combine(directory, OptionsFile), JsonSerializer.Serialize(_options, PersistenceJson.Options));
        _tokenizer.Save(Path.Combine(directory, TokenizerFolder));
    }

    /// <inheritdoc/>
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts) => EmbedCore(texts, LongTextOptions.Default);

    /// <inheritdoc/>
    /// <remarks>
    /// Every window of the batch runs sorted by length in groups of similar lengths (<see cref="WindowedEmbedding"/>),
    /// so little padding is computed; a model call takes at most the batch's number of texts (32 at least) windows.
    /// </remarks>
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts, LongTextOptions longTexts)
    {
        var encoded = texts.Select(text => _options.LineBreaksAsSpaces ? TokenBatch.EncodeWhole(text, _tokenizer) : TokenBatch.EncodeAsIs(text, _tokenizer)).ToArray();
        long padding = _tokenizer.PaddingId ?? 0;
        return WindowedEmbedding.Embed(encoded, _framing, _options.MaxTokens, longTexts, _options.Normalize, Math.Max(texts.Count, 32),
            windows => Run(TokenBatch.Create(windows, padding)));
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        // A shared bundled embedder lives as long as the process.
        if (disposing && _bundled is null && !_disposed)
        {
            _disposed = true;
            _session.Dispose();
        }
    }

    private float[][] Run(TokenBatch batch)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        long[] shape = [batch.Count, batch.Sequence];
        var inputs = new Dictionary<string, OrtValue>();
        try
        {
            inputs[_options.InputIdsName] = Tensor(batch.Ids, shape);
            if (_options.AttentionMaskName is { } maskName)
                inputs[maskName] = Tensor(batch.Mask, shape);
            if (_feedsTokenTypes)
                inputs[_options.TokenTypeIdsName!] = Tensor(new long[batch.Ids.Length], shape);

            using var runOptions = new RunOptions();
            using var outputs = _session.Run(runOptions, inputs, [_options.OutputName]);
            var output = outputs[0];
            var dims = output.GetTensorTypeAndShape().Shape; // (B, T, D) or (B, D)
            var values = output.GetTensorDataAsSpan<float>();
            int dimension = checked((int)dims[^1]);
            var vectors = new float[batch.Count][];
            for (int i = 0; i < batch.Count; i++)
            {
                vectors[i] = _outputIsPooled
                    ? values.Slice(i * dimension, dimension).ToArray()
                    : VectorPooling.Pool(values, checked((int)dims[1]), dimension, i, batch.Lengths[i], _options.Pooling);
                if (_options.Normalize)
                    VectorPooling.NormalizeL2(vectors[i]);
            }
            return vectors;
        }
        finally
        {
            foreach (var value in inputs.Values)
                value.Dispose();
        }
    }

    private OrtValue Tensor(long[] values, long[] shape) => _idsAreInt32
        ? OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(values, v => (int)v), shape)
        : OrtValue.CreateTensorValueFromMemory(values, shape);

    /// <summary>Checks the model's inputs and output against the options, naming what does not fit.</summary>
    private static (bool IdsAreInt32, bool FeedsTokenTypes, bool OutputIsPooled) CheckSignature(InferenceSession session, OnnxSentenceEmbedderOptions options)
    {
        var inputs = session.InputMetadata;
        string Known() => string.Join(", ", inputs.Keys);
        if (!inputs.TryGetValue(options.InputIdsName, out var ids))
            throw new ArgumentException($"The model has no input '{options.InputIdsName}' ({nameof(options.InputIdsName)}); its inputs are {Known()}.", nameof(options));
        if (ids.ElementType != typeof(long) && ids.ElementType != typeof(int))
            throw new ArgumentException($"The model input '{options.InputIdsName}' takes {ids.ElementType.Name}, not Int64 or Int32 ids.", nameof(options));
        if (options.AttentionMaskName is { } mask && !inputs.ContainsKey(mask))
            throw new ArgumentException($"The model has no input '{mask}' ({nameof(options.AttentionMaskName)}); its inputs are {Known()}. Set it to null if the model takes no mask.", nameof(options));
        bool tokenTypes = options.TokenTypeIdsName is { } types && inputs.ContainsKey(types);
        var fed = new HashSet<string?> { options.InputIdsName, options.AttentionMaskName, tokenTypes ? options.TokenTypeIdsName : null };
        foreach (var input in inputs)
        {
            if (!fed.Contains(input.Key))
                throw new ArgumentException($"The model needs input '{input.Key}', which the embedder does not feed (it feeds ids, attention mask and token types).", nameof(options));
            if (input.Value.ElementType != ids.ElementType)
                throw new ArgumentException($"The model input '{input.Key}' takes {input.Value.ElementType.Name}, but '{options.InputIdsName}' takes {ids.ElementType.Name}.", nameof(options));
        }

        if (!session.OutputMetadata.TryGetValue(options.OutputName, out var output))
            throw new ArgumentException($"The model has no output '{options.OutputName}' ({nameof(options.OutputName)}); its outputs are {string.Join(", ", session.OutputMetadata.Keys)}.", nameof(options));
        if (output.ElementType != typeof(float) || output.Dimensions.Length is not (2 or 3))
            throw new ArgumentException($"The model output '{options.OutputName}' must be Single of shape (batch, sequence, dimension) or (batch, dimension), not {output.ElementType.Name} of rank {output.Dimensions.Length}.", nameof(options));
        return (ids.ElementType == typeof(int), tokenTypes, output.Dimensions.Length == 2);
    }

    /// <summary>
    /// Copies a loaded model to <c>&lt;temp&gt;/mlnetllm-onnx/&lt;sha256&gt;.onnx</c> (once per content), so the
    /// embedder can be saved again after the loader's temporary directory is gone.
    /// </summary>
    internal static string KeepModelFile(string file)
    {
        string hash;
        using (var stream = File.OpenRead(file))
            hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream));
        var directory = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "mlnetllm-onnx")).FullName;
        var kept = Path.Combine(directory, hash + ".onnx");
        if (!File.Exists(kept))
        {
            var partial = kept + "." + Guid.NewGuid().ToString("N") + ".partial";
            File.Copy(file, partial);
            File.Move(partial, kept, overwrite: true);
        }
        return kept;
    }

    /// <summary>What a bundled model saves instead of its weights: its kind, and the assembly declaring its loader.</summary>
    internal sealed record Bundled(string Kind, Assembly LoaderAssembly);

    /// <summary>Reads what <see cref="SaveTo"/> wrote for a user's model.</summary>
    internal sealed class Loader : ITextEmbedderLoader
    {
        public string Kind => OnnxSentenceEmbedder.Kind;

        public TextEmbedder Load(string directory)
        {
            var options = PersistenceJson.Read<OnnxSentenceEmbedderOptions>(Path.Combine(directory, OptionsFile));
            var model = Path.Combine(directory, ModelFile);
            if (!File.Exists(model))
                throw new InvalidDataException($"The saved embedder is incomplete: {ModelFile} is missing.");
            var tokenizer = LlmTokenizers.Load(Path.Combine(directory, TokenizerFolder));
            // The directory is deleted after loading: the model is kept where a later save can copy it from.
            var kept = KeepModelFile(model);
            return new OnnxSentenceEmbedder(null, kept, tokenizer, options, $"ONNX sentence embedder ({Path.GetFileName(kept)})");
        }
    }
}
