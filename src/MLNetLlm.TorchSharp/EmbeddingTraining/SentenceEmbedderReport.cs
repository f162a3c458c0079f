using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>What training a sentence embedder did: the history of every step and the data it learned from.</summary>
/// <param name="History">Every optimizer step (training loss, validation loss at evaluations, learning rate); writes CSV and a loss-curve PNG.</param>
/// <param name="Loss">The loss minimised.</param>
/// <param name="TrainingRows">Rows read from the training data (without skipped rows).</param>
/// <param name="TrainingPairs">Pairs (or triples) trained on per epoch: the rows, or the pairs generated from labels.</param>
/// <param name="ValidationPairs">Pairs of the validation set; 0 without one.</param>
/// <param name="SkippedRows">Rows left out because their key label was missing (key 0).</param>
/// <param name="TruncatedTexts">Distinct texts longer than the encoder's length, cut to their first word pieces.</param>
/// <param name="Elapsed">Wall time of the whole fit: loading, reading, training and evaluations.</param>
public sealed record SentenceEmbedderReport(
    TrainingHistory History,
    SentenceEmbeddingLoss Loss,
    int TrainingRows,
    int TrainingPairs,
    int ValidationPairs,
    int SkippedRows,
    int TruncatedTexts,
    TimeSpan Elapsed)
{
    /// <summary>The mean training loss of each epoch's steps, in epoch order (a step counts in the epoch its last batch came from).</summary>
    public IReadOnlyList<double> EpochLosses =>
        [.. History.Records.GroupBy(r => r.Epoch).OrderBy(g => g.Key).Select(g => g.Average(r => r.TrainLoss))];
}
