using MLNetLlm.Kit;

namespace MLNetLlm.Onnx;

/// <summary>What the batched ONNX classifier stage reads, writes and runs with, as it runs and saves (the model and tokenizer are saved beside).</summary>
internal sealed record OnnxClassifierSettings
{
    public required IReadOnlyList<string> ClassLabels { get; init; }
    public required string InputColumnName { get; init; }
    public string ScoreColumnName { get; init; } = "Score";
    public string PredictedLabelColumnName { get; init; } = "PredictedLabel";
    public required int SequenceLength { get; init; }
    public required int BatchSize { get; init; }
    public int? IntraOpThreads { get; init; }
    public string ExecutionProvider { get; init; } = OnnxExecutionProviders.Cpu;

    /// <summary>The Score and PredictedLabel columns, built as MapProbabilitiesToLabel builds them.</summary>
    public ProbabilitiesToLabelSettings Labels() =>
        ProbabilitiesToLabelSettings.From(ClassLabels, InputColumnName, ScoreColumnName, PredictedLabelColumnName);

    public void Validate()
    {
        ColumnChecks.RequireName(InputColumnName, nameof(InputColumnName));
        Labels();
        if (SequenceLength < 1)
            throw new ArgumentOutOfRangeException(nameof(SequenceLength), SequenceLength, $"{nameof(SequenceLength)} must be at least 1.");
        new OnnxScoringOptions { BatchSize = BatchSize, IntraOpThreads = IntraOpThreads, ExecutionProvider = ExecutionProvider }.Validate();
    }
}
