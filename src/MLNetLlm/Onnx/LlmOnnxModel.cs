using Microsoft.ML.OnnxRuntime;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Onnx;

/// <summary>
/// An ONNX model exported by MLNetLlm, opened with ONNX Runtime alone (no libtorch): its session, its
/// <see cref="LlmOnnxMetadata"/> and the tokenizer that feeds it.
/// </summary>
/// <remarks>
/// Opening checks that the file loads, that it carries MLNetLlm metadata, and that the graph has the inputs and outputs
/// <see cref="LlmOnnxNames"/> lists for its kind. A tokenizer passed by the caller is checked against the vocabulary
/// fingerprint stored in the model, so a tokenizer whose ids mean other tokens is refused before anything is scored.
/// The session is safe to use from several threads.
/// </remarks>
public sealed class LlmOnnxModel : IDisposable
{
    private readonly InferenceSession _session;
    private bool _disposed;
    private bool _sessionTaken;

    private LlmOnnxModel(string path, InferenceSession session, LlmOnnxMetadata metadata, LlmTokenizer tokenizer, string? providerFallback)
    {
        Path = path;
        _session = session;
        Metadata = metadata;
        Tokenizer = tokenizer;
        ExecutionProviderFallback = providerFallback;
    }

    /// <summary>The model file.</summary>
    public string Path { get; }

    /// <summary>What the model was exported with: its kind, shapes, labels and tokenizer.</summary>
    public LlmOnnxMetadata Metadata { get; }

    /// <summary>What the graph computes.</summary>
    public LlmOnnxKind Kind => Metadata.Kind;

    /// <summary>The tokenizer that feeds the model: the caller's (checked when opened), else the one stored in the model.</summary>
    public LlmTokenizer Tokenizer { get; }

    /// <summary>Null when the execution provider asked for is used (or was the CPU); else the message saying why the CPU runs the model instead.</summary>
    public string? ExecutionProviderFallback { get; }

    /// <summary>The ONNX Runtime session.</summary>
    public InferenceSession Session
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed || _sessionTaken, this);
            return _session;
        }
    }

    /// <summary>Hands the session to a new owner (a scorer that opened the model once to check it and keeps it to score): disposing this model then leaves it open.</summary>
    internal InferenceSession TakeSession()
    {
        var session = Session;
        _sessionTaken = true;
        return session;
    }

    /// <summary>
    /// Opens an exported model.
    /// </summary>
    /// <param name="path">The <c>.onnx</c> file written by MLNetLlm's exporter.</param>
    /// <param name="tokenizer">The tokenizer to feed it with; null uses the one stored in the model. Checked against the model's vocabulary.</param>
    /// <param name="intraOpThreads">Threads ONNX Runtime uses inside one operator; null uses one per processor.</param>
    /// <param name="executionProvider">The ONNX Runtime execution provider (<c>"CPU"</c>, <c>"CUDA"</c>, ...); one the app's
    /// ONNX Runtime package lacks leaves the CPU, and <see cref="ExecutionProviderFallback"/> says why.</param>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not an ONNX model, was not exported by MLNetLlm, or lacks the inputs and outputs of its kind.</exception>
    /// <exception cref="ArgumentException"><paramref name="tokenizer"/>'s vocabulary differs from the model's.</exception>
    public static LlmOnnxModel Open(string path, LlmTokenizer? tokenizer = null, int? intraOpThreads = null, string executionProvider = OnnxExecutionProviders.Cpu)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (intraOpThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(intraOpThreads), intraOpThreads, "intraOpThreads must be at least 1, or null for one per processor.");
        if (!File.Exists(path))
            throw new FileNotFoundException($"No ONNX model at {path}.", path);
        OnnxExecutionProviders.Validate(executionProvider, nameof(executionProvider));

        var (session, fallback) = CreateSession(path, intraOpThreads ?? Environment.ProcessorCount, executionProvider);
        try
        {
            var metadata = LlmOnnxMetadata.FromProperties(session.ModelMetadata.CustomMetadataMap, path);
            CheckSignature(session, metadata, path);
            var used = tokenizer ?? metadata.LoadTokenizer();
            metadata.CheckTokenizer(used, nameof(tokenizer));
            return new LlmOnnxModel(path, session, metadata, used, fallback);
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>Throws unless the model is of kind <paramref name="expected"/>, naming what it is and what to use instead.</summary>
    /// <exception cref="ArgumentException">The model is of another kind.</exception>
    public void RequireKind(LlmOnnxKind expected, string usedBy)
    {
        if (Kind != expected)
            throw new ArgumentException($"{Path} is an exported {Kind} model, but {usedBy} needs a {expected} model. {Advice(Kind)}", "modelPath");
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (!_sessionTaken)
            _session.Dispose();
    }

    /// <summary>
    /// Session options for small-batch CPU scoring: every graph optimisation, <paramref name="intraOpThreads"/> threads
    /// inside an operator, operators run one after the other (the graphs are chains, so inter-op threads only compete).
    /// </summary>
    internal static SessionOptions CreateSessionOptions(int intraOpThreads) => new()
    {
        GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        IntraOpNumThreads = intraOpThreads,
        InterOpNumThreads = 1,
        EnableMemoryPattern = true,
        EnableCpuMemArena = true,
    };

    private static (InferenceSession Session, string? ProviderFallback) CreateSession(string path, int intraOpThreads, string executionProvider)
    {
        using var options = CreateSessionOptions(intraOpThreads);
        var fallback = OnnxExecutionProviders.Append(options, executionProvider);
        try
        {
            return (new InferenceSession(path, options), fallback);
        }
        catch (OnnxRuntimeException e)
        {
            throw new InvalidDataException($"{path} is not a model ONNX Runtime can load: {e.Message}", e);
        }
    }

    private static void CheckSignature(InferenceSession session, LlmOnnxMetadata metadata, string path)
    {
        var (inputs, outputs) = Expected(metadata);
        foreach (var name in inputs)
            if (!session.InputMetadata.ContainsKey(name))
                throw new InvalidDataException($"{path} says it is a {metadata.Kind} model but has no input '{name}' (its inputs are {string.Join(", ", session.InputMetadata.Keys)}).");
        foreach (var name in outputs)
            if (!session.OutputMetadata.ContainsKey(name))
                throw new InvalidDataException($"{path} says it is a {metadata.Kind} model but has no output '{name}' (its outputs are {string.Join(", ", session.OutputMetadata.Keys)}).");
        if (metadata.Kind == LlmOnnxKind.Classifier && metadata.ClassLabels is not { Count: > 0 })
            throw new InvalidDataException($"{path} is a classifier but its metadata lists no class labels.");
    }

    private static (IEnumerable<string> Inputs, IEnumerable<string> Outputs) Expected(LlmOnnxMetadata metadata) => metadata.Kind switch
    {
        LlmOnnxKind.GptLogits => ([LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask], [LlmOnnxNames.Logits]),
        LlmOnnxKind.GptWithPast => (
            [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask, LlmOnnxNames.PositionIds,
                .. Enumerable.Range(0, metadata.Layers).SelectMany(i => new[] { LlmOnnxNames.PastKey(i), LlmOnnxNames.PastValue(i) })],
            [LlmOnnxNames.Logits, .. Enumerable.Range(0, metadata.Layers).SelectMany(i => new[] { LlmOnnxNames.PresentKey(i), LlmOnnxNames.PresentValue(i) })]),
        LlmOnnxKind.Classifier => ([LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask], [LlmOnnxNames.Probabilities]),
        LlmOnnxKind.Embedder => ([LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask], [LlmOnnxNames.Embedding]),
        _ => throw new InvalidDataException($"Unknown model kind {metadata.Kind}."),
    };

    private static string Advice(LlmOnnxKind kind) => kind switch
    {
        LlmOnnxKind.GptWithPast => "Generate text with OnnxGptGenerator.",
        LlmOnnxKind.GptLogits => "Generation needs the past key/value export (GptWithPast).",
        LlmOnnxKind.Classifier => "Score it with mlContext.Transforms.Llm.ClassifyWithOnnx.",
        LlmOnnxKind.Embedder => "Score it with mlContext.Transforms.Llm.EmbedTextWithOnnx.",
        _ => "",
    };
}
