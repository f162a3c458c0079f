namespace MLNetLlm.Onnx;

/// <summary>How <c>mlContext.Transforms.Llm.ClassifyWithOnnx</c> runs an exported classifier with ONNX Runtime.</summary>
public sealed record OnnxScoringOptions
{
    /// <summary>The largest <see cref="BatchSize"/>: a batch's rows are held in memory together.</summary>
    public const int MaxBatchSize = 65_536;

    /// <summary>Rows read and scored together (1 to <see cref="MaxBatchSize"/>); each batch runs grouped by length, every group padded to its longest row. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>ONNX Runtime's threads within one operator; null for one per processor. Default null.</summary>
    public int? IntraOpThreads { get; init; }

    /// <summary>
    /// The ONNX Runtime execution provider to score on: <c>"CPU"</c>, <c>"CUDA"</c> (needs the
    /// Microsoft.ML.OnnxRuntime.Gpu package in the app), <c>"TensorRT"</c>, or another name ONNX Runtime knows. A provider
    /// the app's ONNX Runtime package does not carry is reported (ML.NET log and trace warning) and the CPU is used:
    /// nothing else changes. Default <c>"CPU"</c>.
    /// </summary>
    public string ExecutionProvider { get; init; } = "CPU";

    /// <summary>
    /// Score with ML.NET's plain chain instead: <c>Tokenize</c> (padded to the sequence length) → <c>ApplyOnnxModel</c>
    /// (one ONNX Runtime call per row) → <c>MapProbabilitiesToLabel</c>. Same columns and scores (an empty or missing text
    /// read as the TorchSharp classifier reads it, as the batched scorer does), slower. <see cref="BatchSize"/>,
    /// <see cref="IntraOpThreads"/> and <see cref="ExecutionProvider"/> do not apply to it. Default false.
    /// </summary>
    public bool UseApplyOnnxModel { get; init; }

    /// <summary>The defaults.</summary>
    public static OnnxScoringOptions Default { get; } = new();

    internal void Validate()
    {
        if (BatchSize is < 1 or > MaxBatchSize)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, $"{nameof(BatchSize)} must be between 1 and {MaxBatchSize}.");
        if (IntraOpThreads is < 1)
            throw new ArgumentOutOfRangeException(nameof(IntraOpThreads), IntraOpThreads, $"{nameof(IntraOpThreads)} must be at least 1 when given.");
        OnnxExecutionProviders.Validate(ExecutionProvider, nameof(ExecutionProvider));
    }
}
