namespace MLNetLlm.TorchSharp.Training;

/// <summary>Why a training run ended without an error.</summary>
public enum StopReason
{
    /// <summary>A budget was reached: <see cref="TrainingOptions.MaxEpochs"/>, <see cref="TrainingOptions.MaxSteps"/> or <see cref="TrainingOptions.MaxTokens"/>.</summary>
    BudgetReached,

    /// <summary>The validation loss stopped improving for <see cref="TrainingOptions.EarlyStoppingPatience"/> evaluations.</summary>
    EarlyStopped,
}
