using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>Next-token cross-entropy of a GPT on (B, T) windows, ignoring targets of -1.</summary>
internal static class GptLoss
{
    /// <summary>Summed loss over the targets that are not ignored, and how many there are.</summary>
    public static (Tensor Sum, Tensor Count) Summed(GptModel model, Tensor inputs, Tensor targets)
    {
        var logits = model.ForwardCore(inputs);                                                // (B, T, V): windows were checked by GptTrainer
        var flatLogits = logits.view(-1, logits.shape[2]);                                     // (B·T, V)
        var flatTargets = targets.view(-1);                                                    // (B·T)
        var sum = functional.cross_entropy(flatLogits, flatTargets, ignore_index: ITokenWindowSource.IgnoredTarget, reduction: Reduction.Sum);
        return (sum, flatTargets.ne(ITokenWindowSource.IgnoredTarget).sum());
    }

    /// <summary>Mean loss over the targets that are not ignored (0 when every target is ignored, not NaN).</summary>
    public static Tensor Mean(GptModel model, Tensor inputs, Tensor targets)
    {
        var (sum, count) = Summed(model, inputs, targets);
        return sum / count.clamp_min(1);
    }
}
