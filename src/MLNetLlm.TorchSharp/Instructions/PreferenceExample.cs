namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>A tokenized preference pair: the same prompt with the chosen and with the rejected response.</summary>
internal sealed record PreferenceExample(InstructionExample Chosen, InstructionExample Rejected);

/// <summary>Preference scores of a policy against its reference on a set of pairs, as the book's notebook reports them.</summary>
/// <param name="Loss">The mean DPO loss.</param>
/// <param name="RewardAccuracy">Share of pairs whose chosen reward β·(policy − reference) exceeds the rejected one's.</param>
/// <param name="RewardMargin">Mean of chosen reward − rejected reward.</param>
/// <param name="PolicyPreference">Share of pairs where the policy itself gives the chosen response the higher mean
/// token log-probability (meaningful before tuning too, when every reward is 0).</param>
/// <param name="Pairs">Pairs scored.</param>
public sealed record PreferenceMetrics(double Loss, double RewardAccuracy, double RewardMargin, double PolicyPreference, int Pairs);
