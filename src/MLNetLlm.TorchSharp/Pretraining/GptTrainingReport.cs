using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>What fitting <c>PretrainGpt</c> did: the history of every step and the figures a training report needs.</summary>
/// <param name="History">Every optimizer step (losses, learning rate, tokens seen); writes CSV and a loss-curve PNG.</param>
/// <param name="ParameterCount">The model's parameters (a tied head counted once).</param>
/// <param name="TrainingTokens">Target tokens in the training windows (one epoch).</param>
/// <param name="ValidationBefore">Loss and perplexity on the validation windows before the first step.</param>
/// <param name="ValidationAfter">Loss and perplexity on the same windows after the last step.</param>
/// <param name="UnigramValidationPerplexity">
/// The perplexity of an add-one smoothed unigram model (token frequencies of the training windows) on the same
/// validation targets: the baseline a language model must beat.
/// </param>
/// <param name="Elapsed">Wall time of the whole fit: tokenizing, windows, training and evaluations.</param>
public sealed record GptTrainingReport(
    TrainingHistory History,
    long ParameterCount,
    long TrainingTokens,
    EvaluationResult ValidationBefore,
    EvaluationResult ValidationAfter,
    double UnigramValidationPerplexity,
    TimeSpan Elapsed)
{
    /// <summary>Tokens trained on (all epochs, padding included).</summary>
    public long TokensSeen => History.Records.Count == 0 ? 0 : History.Records[^1].TokensSeen;
}
