using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>What fitting <c>FineTuneInstructions</c> did.</summary>
/// <param name="History">Every optimizer step (losses, learning rate, tokens seen); writes CSV and a loss-curve PNG.</param>
/// <param name="TrainingExamples">Examples trained on, after skipping.</param>
/// <param name="Truncated">Training and validation examples cut from the prompt side to fit <c>MaxLength</c>.</param>
/// <param name="Skipped">Training and validation examples left out as too long.</param>
/// <param name="ValidationLossBefore">Mean loss per learned target on the validation examples before training (the
/// response loss when the prompt is masked); null without a validation set.</param>
/// <param name="ValidationLossAfter">The same after training (with the weights kept); null without a validation set.</param>
/// <param name="TrainedParameters">Parameters that trained (the adapters with LoRA).</param>
/// <param name="Elapsed">Wall time of the whole fit.</param>
/// <param name="Adapter">With LoRA, the trained adapters before they were merged (save them to ship the tuning alone,
/// and fold them into the same base model with <see cref="LoraAdapter.MergeInto"/>); null when all weights trained.</param>
public sealed record InstructionTuningReport(
    TrainingHistory History,
    int TrainingExamples,
    int Truncated,
    int Skipped,
    double? ValidationLossBefore,
    double? ValidationLossAfter,
    long TrainedParameters,
    TimeSpan Elapsed,
    LoraAdapter? Adapter = null);
