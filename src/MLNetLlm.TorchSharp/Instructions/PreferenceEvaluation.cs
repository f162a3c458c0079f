using MLNetLlm.TorchSharp.Checkpoints;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>Scores a DPO policy against its reference on preference pairs: loss, reward accuracy and margin, and the
/// policy's own preference for the chosen response (<see cref="PreferenceMetrics"/>).</summary>
public static class PreferenceEvaluation
{
    /// <summary>The figures of <paramref name="policy"/> against <paramref name="reference"/> on the pairs of <paramref name="data"/>.</summary>
    /// <param name="policy">The tuned model (or the reference itself, for the figures before tuning).</param>
    /// <param name="reference">The reference model, of the policy's shape and tokenizer.</param>
    /// <param name="data">Pairs in the columns of <paramref name="columns"/>.</param>
    /// <param name="columns">Column names and β; null for <see cref="PreferenceTuningOptions"/>'s defaults.</param>
    /// <exception cref="ArgumentException">A column is missing, a pair's sides are equal, or the models differ in shape or tokenizer.</exception>
    public static PreferenceMetrics Evaluate(InstructionTransformer policy, InstructionTransformer reference, IDataView data, PreferenceTuningOptions? columns = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(data);
        columns ??= new PreferenceTuningOptions();
        if (policy.Gpt.Model.Config != reference.Gpt.Model.Config || !CheckpointTokenizer.Matches(policy.Gpt.Tokenizer!, reference.Gpt.Tokenizer!))
            throw new ArgumentException($"The reference model ({reference.Gpt.Model.Config}) is not of the policy's shape and tokenizer ({policy.Gpt.Model.Config}).", nameof(reference));
        var estimator = new PreferenceTuningEstimator(null!, policy, columns);
        var encoder = new InstructionEncoder(policy.Template, policy.Gpt.Tokenizer!, policy.Gpt.Model.Config.ContextLength, TooLongExamples.TruncatePrompt);
        var pairs = estimator.Pairs(data, encoder);
        var (pc, pr) = PreferenceScoring.LogProbabilities(policy.Gpt.Model, pairs, policy.Settings.BatchSize, encoder.EndOfText);
        var (rc, rr) = PreferenceScoring.LogProbabilities(reference.Gpt.Model, pairs, reference.Settings.BatchSize, encoder.EndOfText);
        return PreferenceScoring.Metrics(pc, pr, rc, rr, columns.Beta);
    }
}
