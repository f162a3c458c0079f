namespace MLNetLlm.TorchSharp.Training;

/// <summary>What one optimizer step did; a row of <see cref="TrainingHistory"/>.</summary>
/// <param name="Step">The step's number, from 1.</param>
/// <param name="Epoch">The epoch its last batch came from, from 0.</param>
/// <param name="TokensSeen">Tokens trained on up to and including this step.</param>
/// <param name="TrainLoss">Mean cross-entropy of the step's batches.</param>
/// <param name="ValidationLoss">Validation loss when the step was followed by an evaluation; null otherwise.</param>
/// <param name="LearningRate">The learning rate the step used.</param>
/// <param name="GradientNorm">Global L2 norm of the gradients before clipping.</param>
public sealed record TrainingRecord(
    long Step,
    int Epoch,
    long TokensSeen,
    double TrainLoss,
    double? ValidationLoss,
    double LearningRate,
    double GradientNorm)
{
    /// <summary>exp(<see cref="TrainLoss"/>).</summary>
    public double TrainPerplexity => Math.Exp(TrainLoss);

    /// <summary>exp(<see cref="ValidationLoss"/>) when evaluated; null otherwise.</summary>
    public double? ValidationPerplexity => ValidationLoss is { } loss ? Math.Exp(loss) : null;
}
