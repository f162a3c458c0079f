using MLNetLlm.Kit;

namespace MLNetLlm.Tokenization;

/// <summary><see cref="DecodeTokensOptions"/> without the tokenizer, as the transform runs and saves them.</summary>
internal sealed record DecodeTokensSettings
{
    public required string InputColumnName { get; init; }
    public required string OutputColumnName { get; init; }
    public string? AttentionMaskColumnName { get; init; }
    public bool SkipSpecialTokens { get; init; }

    public static DecodeTokensSettings From(DecodeTokensOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tokenizer is null)
            throw new ArgumentNullException(nameof(options), "DecodeTokensOptions.Tokenizer is required.");
        ColumnChecks.RequireName(options.InputColumnName, nameof(options.InputColumnName));
        ColumnChecks.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        if (options.AttentionMaskColumnName is not null)
            ColumnChecks.RequireName(options.AttentionMaskColumnName, nameof(options.AttentionMaskColumnName));
        return new DecodeTokensSettings
        {
            InputColumnName = options.InputColumnName,
            OutputColumnName = options.OutputColumnName,
            AttentionMaskColumnName = options.AttentionMaskColumnName,
            SkipSpecialTokens = options.SkipSpecialTokens,
        };
    }
}
