using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// Direct preference optimisation (Rafailov et al. 2023) as the reference book's bonus notebook computes it: a
/// response's log-probability is the mean of its tokens' log-probabilities (prompt and padding masked; the paper sums
/// them, which scales the rewards by the response length, so a β here acts like β/length there), and the loss is
/// <c>−log σ(β·((policy_chosen − policy_rejected) − (reference_chosen − reference_rejected)))</c>, averaged over pairs.
/// </summary>
internal static class DpoLoss
{
    /// <summary>Each row's mean log-probability (B) of its learned targets (those not ignored) under <paramref name="model"/>.</summary>
    public static Tensor ResponseLogProbabilities(GptModel model, Tensor inputs, Tensor targets)
    {
        var logProbabilities = functional.log_softmax(model.ForwardCore(inputs), -1);     // (B, T, V)
        var mask = targets.ne(ITokenWindowSource.IgnoredTarget);                           // (B, T)
        var picked = logProbabilities.gather(2, targets.clamp_min(0).unsqueeze(2)).squeeze(2); // (B, T)
        return (picked * mask).sum(1) / mask.sum(1).clamp_min(1);                         // (B)
    }

    /// <summary>The mean DPO loss over pairs, and each pair's rewards β·(policy − reference) for chosen and rejected.</summary>
    public static (Tensor Loss, Tensor ChosenRewards, Tensor RejectedRewards) Compute(
        Tensor policyChosen, Tensor policyRejected, Tensor referenceChosen, Tensor referenceRejected, double beta)
    {
        var logits = (policyChosen - policyRejected) - (referenceChosen - referenceRejected);
        var loss = -functional.logsigmoid(logits * beta).mean();
        return (loss, (policyChosen - referenceChosen).detach() * beta, (policyRejected - referenceRejected).detach() * beta);
    }
}
