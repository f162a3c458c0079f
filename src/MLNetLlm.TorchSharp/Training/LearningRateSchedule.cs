namespace MLNetLlm.TorchSharp.Training;

/// <summary>Linear warmup from 0 to the peak, then cosine decay to the minimum at the last step (nanoGPT's schedule).</summary>
internal sealed record LearningRateSchedule(double Peak, double Minimum, long WarmupSteps, long TotalSteps)
{
    public static LearningRateSchedule For(TrainingOptions options, long totalSteps) =>
        new(options.LearningRate, options.MinLearningRate, Math.Min(options.WarmupSteps ?? totalSteps / 20, totalSteps), totalSteps);

    /// <summary>The learning rate of the step with zero-based index <paramref name="step"/>.</summary>
    public double At(long step)
    {
        if (step < WarmupSteps) return Peak * (step + 1) / WarmupSteps;
        long decaySteps = TotalSteps - WarmupSteps;
        if (decaySteps <= 1) return Peak;
        double progress = Math.Min(1.0, (double)(step - WarmupSteps) / (decaySteps - 1)); // 0 at the first decay step, 1 at the last
        return Minimum + 0.5 * (1 + Math.Cos(Math.PI * progress)) * (Peak - Minimum);
    }
}
