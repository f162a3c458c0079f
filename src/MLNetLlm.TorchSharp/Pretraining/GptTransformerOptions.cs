using MLNetLlm.Generation;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// Which columns a <see cref="GptTransformer"/> reads and writes, and how it generates. Used as is by
/// <c>mlContext.Transforms.Llm.LoadGpt</c> and as part of <c>GptPretrainingOptions</c>.
/// </summary>
public sealed record GptTransformerOptions
{
    /// <summary>
    /// The text column scored for <see cref="PerplexityColumnName"/> (and, for pretraining, the corpus). Default
    /// <c>Text</c>. Null when <see cref="TokenColumnName"/> is used, or for a transformer that only completes prompts.
    /// </summary>
    public string? TextColumnName { get; init; } = "Text";

    /// <summary>
    /// A column of token ids (a vector of Int64, as the Tokenize transform writes) to score instead of a text column.
    /// Default null. When set, it is used and <see cref="TextColumnName"/> is ignored.
    /// </summary>
    public string? TokenColumnName { get; init; }

    /// <summary>
    /// The Single column of each row's perplexity: exp of the mean negative log-likelihood of its tokens, each
    /// predicted from the tokens before it (the first from the tokenizer's document start, its end-of-text token or SentencePiece's <c>&lt;s&gt;</c>, when it has one). NaN
    /// for a row without a scored token. Default <c>Perplexity</c>.
    /// </summary>
    public string PerplexityColumnName { get; init; } = "Perplexity";

    /// <summary>A text column of prompts to complete into <see cref="CompletionColumnName"/>. Default null: no completion.</summary>
    public string? PromptColumnName { get; init; }

    /// <summary>The text column of generated continuations (the new text only). Default <c>Completion</c>.</summary>
    public string CompletionColumnName { get; init; } = "Completion";

    /// <summary>
    /// How completions are generated. Default greedy, at most 50 new tokens, so a column is reproducible; for
    /// sampled completions set <see cref="GenerationOptions.Seed"/> too (rows of a batch share one generator).
    /// A prompt longer than the context keeps its last tokens.
    /// </summary>
    public GenerationOptions Generation { get; init; } = new() { Greedy = true };

    /// <summary>
    /// The precision the model is served in: <see cref="Modeling.Precision.Fp32"/> (the default), or
    /// <see cref="Modeling.Precision.Bf16"/>, which runs passes over many tokens (scoring, a prompt before generation) in
    /// bfloat16, for faster serving on CPUs with AVX-512 BF16 or AMX. One-token generation steps stay fp32, where bf16 was
    /// measured slower (docs/benchmarks.md): the model keeps its fp32 weights beside bf16 copies of its weight matrices,
    /// 1.5 times its fp32 memory. Saving writes the fp32 weights unchanged. Used by the GPT and Llama-family transformers.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>The number of rows scored or completed per model call. Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>The column scored for perplexity, if any: the token column when set, else the text column.</summary>
    internal string? ScoredColumnName => TokenColumnName ?? TextColumnName;

    /// <summary>Checks the names and numbers; names the first bad option.</summary>
    /// <exception cref="ArgumentException">A column name is blank, or the options ask for no output at all.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BatchSize"/> is below 1 or a generation option is out of range.</exception>
    public void Validate()
    {
        if (TokenColumnName is { } tokens && string.IsNullOrWhiteSpace(tokens))
            throw new ArgumentException("TokenColumnName cannot be blank; use null for a text column.", nameof(TokenColumnName));
        if (TextColumnName is { } text && string.IsNullOrWhiteSpace(text))
            throw new ArgumentException("TextColumnName cannot be blank; use null for none.", nameof(TextColumnName));
        if (PromptColumnName is { } prompt && string.IsNullOrWhiteSpace(prompt))
            throw new ArgumentException("PromptColumnName cannot be blank; use null for no completion.", nameof(PromptColumnName));
        if (string.IsNullOrWhiteSpace(PerplexityColumnName))
            throw new ArgumentException("PerplexityColumnName cannot be blank.", nameof(PerplexityColumnName));
        if (string.IsNullOrWhiteSpace(CompletionColumnName))
            throw new ArgumentException("CompletionColumnName cannot be blank.", nameof(CompletionColumnName));
        if (ScoredColumnName is null && PromptColumnName is null)
            throw new ArgumentException("Give a TextColumnName or TokenColumnName to score, or a PromptColumnName to complete.", nameof(TextColumnName));
        if (!Enum.IsDefined(Precision))
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Precision must be Fp32 or Bf16.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        ArgumentNullException.ThrowIfNull(Generation, nameof(Generation));
        Generation.Validate();
    }
}
