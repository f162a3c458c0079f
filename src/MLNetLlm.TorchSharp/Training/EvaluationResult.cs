namespace MLNetLlm.TorchSharp.Training;

/// <summary>The language-model loss over a set of windows.</summary>
/// <param name="Loss">Mean next-token cross-entropy (nats) over every target that is not ignored.</param>
/// <param name="Tokens">How many targets were scored.</param>
public sealed record EvaluationResult(double Loss, long Tokens)
{
    /// <summary>exp(<see cref="Loss"/>).</summary>
    public double Perplexity => Math.Exp(Loss);
}
