using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>What fitting <c>FineTuneGpt</c> did: the history of every step and the data it learned from.</summary>
/// <param name="History">Every optimizer step (training loss, validation loss at evaluations, learning rate); writes CSV and a loss-curve PNG.</param>
/// <param name="TrainingRows">Rows trained on.</param>
/// <param name="ValidationRows">Rows of the validation set; 0 without one.</param>
/// <param name="SkippedRows">Training and validation rows left out because their label was missing (key 0, as
/// <c>MapValueToKey</c> gives a value it did not see).</param>
/// <param name="ClassCounts">Training rows per class, in <c>ClassLabels</c> order.</param>
/// <param name="ClassWeights">The loss weight of each class; null when all classes weigh the same.</param>
/// <param name="TruncatedRows">Training rows longer than the maximum length, cut to their first tokens.</param>
/// <param name="Elapsed">Wall time of the whole fit: reading and tokenizing the rows, training and evaluations.</param>
public sealed record FineTuneReport(
    TrainingHistory History,
    int TrainingRows,
    int ValidationRows,
    int SkippedRows,
    IReadOnlyList<int> ClassCounts,
    IReadOnlyList<float>? ClassWeights,
    int TruncatedRows,
    TimeSpan Elapsed);
