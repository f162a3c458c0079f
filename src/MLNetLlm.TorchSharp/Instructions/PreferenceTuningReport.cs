using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>What fitting <c>TunePreferences</c> did.</summary>
/// <param name="History">Every optimizer step (DPO loss, validation DPO loss, learning rate).</param>
/// <param name="TrainingPairs">Pairs trained on, after skipping.</param>
/// <param name="Truncated">Responses cut from the prompt side to fit.</param>
/// <param name="Skipped">Pairs left out as too long.</param>
/// <param name="ValidationBefore">The policy against the reference on the validation pairs before training (every reward
/// 0 when the reference is the starting model); null without validation pairs.</param>
/// <param name="ValidationAfter">The same after training; null without validation pairs.</param>
/// <param name="Elapsed">Wall time of the whole fit.</param>
public sealed record PreferenceTuningReport(
    TrainingHistory History,
    int TrainingPairs,
    int Truncated,
    int Skipped,
    PreferenceMetrics? ValidationBefore,
    PreferenceMetrics? ValidationAfter,
    TimeSpan Elapsed);
