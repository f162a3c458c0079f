namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>What fitting <c>PretrainGpt</c> did: the figures a training report needs.</summary>
/// <param name="ParameterCount">The model's parameters (a tied head counted once).</param>
/// <param name="TrainingTokens">Tokens in the training windows (one epoch).</param>
/// <param name="ValidationTokens">Tokens in the validation windows.</param>
/// <param name="ValidationBefore">Validation loss and perplexity before the first step.</param>
/// <param name="ValidationAfter">Validation loss and perplexity after the last step.</param>
/// <param name="Elapsed">Wall time of the whole fit: tokenizing, windows, training and evaluations.</param>
public sealed record GptTrainingReport(
    long ParameterCount,
    long TrainingTokens,
    long ValidationTokens,
    GptEvaluation ValidationBefore,
    GptEvaluation ValidationAfter,
    TimeSpan Elapsed);
