using Microsoft.ML;

namespace MLNetLlm.Preparation;

/// <summary>What <c>mlContext.Data.Llm.SplitForLanguageModeling</c> divides between training and validation.</summary>
public enum LanguageModelingSplitUnit
{
    /// <summary>
    /// Whole documents (rows): each goes to validation with probability <c>validationFraction</c>, drawn from a hash of
    /// the seed and its row position, so the split streams and the same input in the same order splits the same way.
    /// The validation share of rows is close to the fraction, not exact.
    /// </summary>
    Documents,

    /// <summary>
    /// The token stream: validation is the last <c>round(validationFraction · N)</c> of the <c>N</c> tokens of the token
    /// column (documents in input order, without separators), training the tokens before, as GPT pretraining scripts
    /// split a corpus. The document the cut falls in appears in both parts, its first tokens in training and the rest in
    /// validation, with its other columns copied. Exact; the seed is not used.
    /// </summary>
    Tokens,
}

/// <summary>A corpus divided for language modeling: both views have the input's schema.</summary>
/// <param name="Train">The training part.</param>
/// <param name="Validation">The validation part.</param>
public sealed record LanguageModelingSplit(IDataView Train, IDataView Validation);
