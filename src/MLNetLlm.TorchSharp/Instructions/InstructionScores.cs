namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>How well a model answers held-out instructions (see <see cref="InstructionEvaluation"/>).</summary>
/// <param name="ResponseLoss">Mean cross-entropy per response token (end-of-text included), prompt masked, in nats.</param>
/// <param name="ResponsePerplexity">exp(<paramref name="ResponseLoss"/>).</param>
/// <param name="ExactMatch">Share of one-word references answered exactly (normalised words); NaN when none is one word.</param>
/// <param name="OneWordExamples">Examples whose reference is one word (the ones <paramref name="ExactMatch"/> is over).</param>
/// <param name="RougeL">Mean ROUGE-L F1 of the generated answers against the references.</param>
/// <param name="TokenF1">Mean token F1 of the generated answers against the references.</param>
/// <param name="Examples">Examples scored.</param>
public sealed record InstructionScores(double ResponseLoss, double ResponsePerplexity, double ExactMatch, int OneWordExamples, double RougeL, double TokenF1, int Examples);
