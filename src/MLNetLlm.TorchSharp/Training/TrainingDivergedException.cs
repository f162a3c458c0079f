namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Training produced a NaN or infinite loss or gradient norm. Nothing was saved after it: the last good checkpoint
/// (<see cref="LastGoodCheckpoint"/>, when checkpoints are written) is the state to resume from, for example with a
/// lower learning rate.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Creates the exception for <paramref name="step"/>.</summary>
    public TrainingDivergedException(long step, string quantity, double value, string? lastGoodCheckpoint)
        : base($"Training diverged at step {step}: the {quantity} is {value}. " +
               (lastGoodCheckpoint is null ? "No checkpoint was written before it." : $"The last good checkpoint is {lastGoodCheckpoint}; resume from it with a lower learning rate or stronger clipping."))
    {
        Step = step;
        LastGoodCheckpoint = lastGoodCheckpoint;
    }

    /// <summary>The optimizer step whose loss or gradient was not finite, from 1.</summary>
    public long Step { get; }

    /// <summary>The newest checkpoint written before the divergence; null when none was.</summary>
    public string? LastGoodCheckpoint { get; }
}
