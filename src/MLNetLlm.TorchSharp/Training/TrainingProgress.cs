using System.Globalization;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>Where training stands after an optimizer step; reported to <see cref="IProgress{T}"/> after every step.</summary>
/// <param name="Step">Optimizer steps done, counting those of a resumed run.</param>
/// <param name="TotalSteps">Steps the budget allows (what the cosine schedule spans).</param>
/// <param name="Epoch">The epoch the step's last batch came from, from 0.</param>
/// <param name="TokensSeen">Tokens trained on so far (batch rows × window length, padding included).</param>
/// <param name="TrainLoss">Mean cross-entropy of this step's batches.</param>
/// <param name="ValidationLoss">Validation loss when this step was an evaluation step; null otherwise.</param>
/// <param name="LearningRate">The learning rate this step used.</param>
/// <param name="TokensPerSecond">Training throughput since this run started (or resumed).</param>
/// <param name="Elapsed">Wall time since this run started (or resumed).</param>
/// <param name="EstimatedRemaining">Time left for the remaining steps at the current throughput.</param>
public sealed record TrainingProgress(
    long Step,
    long TotalSteps,
    int Epoch,
    long TokensSeen,
    double TrainLoss,
    double? ValidationLoss,
    double LearningRate,
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan EstimatedRemaining)
{
    /// <summary>exp(<see cref="TrainLoss"/>).</summary>
    public double TrainPerplexity => Math.Exp(TrainLoss);

    /// <summary>exp(<see cref="ValidationLoss"/>) when evaluated; null otherwise.</summary>
    public double? ValidationPerplexity => ValidationLoss is { } loss ? Math.Exp(loss) : null;

    /// <summary>One log line: step, epoch, tokens, losses, learning rate, throughput and time left.</summary>
    public override string ToString()
    {
        var validation = ValidationLoss is { } v ? string.Create(CultureInfo.InvariantCulture, $", val loss {v:F4} (ppl {Math.Exp(v):F2})") : "";
        return string.Create(CultureInfo.InvariantCulture,
            $"step {Step}/{TotalSteps}, epoch {Epoch}, {TokensSeen:N0} tokens, train loss {TrainLoss:F4}{validation}, lr {LearningRate:E2}, {TokensPerSecond:F0} tokens/s, elapsed {Elapsed:hh\\:mm\\:ss}, eta {EstimatedRemaining:hh\\:mm\\:ss}");
    }
}
