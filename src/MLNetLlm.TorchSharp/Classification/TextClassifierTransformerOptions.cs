using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// What a <see cref="TextClassifierTransformer"/> reads and how it scores: the text (or token-id) column, the longest
/// token sequence it classifies and the rows per model call. Set through <see cref="FineTuneGptOptions"/>; saved with
/// the transformer.
/// </summary>
public sealed record TextClassifierTransformerOptions
{
    /// <summary>The text column to classify, tokenized with the model's tokenizer. Default <c>Text</c>. Ignored when
    /// <see cref="TokenColumnName"/> is set.</summary>
    public string? TextColumnName { get; init; } = "Text";

    /// <summary>
    /// A column of token ids to classify instead of text: a vector of Int64 (or Int32), as the Tokenize transform writes
    /// it. Default null. A variable-length vector is read whole; a fixed-length (padded) vector needs
    /// <see cref="AttentionMaskColumnName"/>.
    /// </summary>
    public string? TokenColumnName { get; init; }

    /// <summary>
    /// The attention mask of a padded <see cref="TokenColumnName"/> (Int64 or Int32 vector, 1 for a real token, 0 for
    /// padding; Tokenize's <c>AttentionMask</c> with <c>PadToLength</c>). Only the ids under a 1 are classified, so
    /// padding never reaches the model. Default null: every id is a real token.
    /// </summary>
    public string? AttentionMaskColumnName { get; init; }

    /// <summary>
    /// The most tokens of a row the model reads; a longer row keeps its first <see cref="MaximumLength"/> tokens (the
    /// rest is dropped, as the reference book truncates). Null (the default): the model's context length.
    /// </summary>
    public int? MaximumLength { get; init; }

    /// <summary>
    /// The precision the model is served in: <see cref="Modeling.Precision.Fp32"/> (the default), or
    /// <see cref="Modeling.Precision.Bf16"/>, which converts the model's weights to bfloat16 when the transformer is made
    /// (loaded or fitted), for faster batched scoring on CPUs with AVX-512 BF16 or AMX (batched passes gained from bf16 at
    /// every width measured, docs/benchmarks.md). Saving writes the weights as fp32 again, holding the bf16-rounded values.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Rows per model call when scoring. Default 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>The column the classifier reads: the token column when set, else the text column.</summary>
    internal string InputColumnName => TokenColumnName ?? TextColumnName!;

    /// <summary>Checks names and numbers; names the first bad option.</summary>
    /// <exception cref="ArgumentException">No input column, or a blank column name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MaximumLength"/> or <see cref="BatchSize"/> below 1.</exception>
    public void Validate()
    {
        if (TokenColumnName is null && TextColumnName is null)
            throw new ArgumentException("Give the input: a TextColumnName or a TokenColumnName.", nameof(TextColumnName));
        Blank(TextColumnName, nameof(TextColumnName));
        Blank(TokenColumnName, nameof(TokenColumnName));
        Blank(AttentionMaskColumnName, nameof(AttentionMaskColumnName));
        if (AttentionMaskColumnName is not null && TokenColumnName is null)
            throw new ArgumentException("AttentionMaskColumnName goes with a TokenColumnName; a text column needs no mask.", nameof(AttentionMaskColumnName));
        if (MaximumLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(MaximumLength), MaximumLength, "MaximumLength must be at least 1, or null for the model's context.");
        if (!Enum.IsDefined(Precision))
            throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Precision must be Fp32 or Bf16.");
        if (BatchSize < 1)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
    }

    private static void Blank(string? name, string option)
    {
        if (name is not null && string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"{option} cannot be blank; use null for none.", option);
    }
}
