
namespace MLNetLlm.Tokenization;

/// <summary>
/// Options of <c>mlContext.Transforms.Llm.TrainBpeTokenizer</c>: what byte-level BPE vocabulary to learn from a text
/// column, and how the fitted Tokenize transform lays out the ids (as in <see cref="TokenizeOptions"/>).
/// </summary>
public sealed class TrainBpeTokenizerOptions
{
    /// <summary>The text column to learn from and then tokenize. Default <c>Text</c>.</summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>The token ids column of the fitted transform. Default <c>Tokens</c>.</summary>
    public string OutputColumnName { get; set; } = "Tokens";

    /// <summary>The vocabulary to learn: its size (default 8,000), special tokens, pre-tokenizer, minimum pair frequency.</summary>
    public BpeTrainerOptions Training { get; set; } = new();

    /// <summary>As <see cref="TokenizeOptions.MaxLength"/>.</summary>
    public int? MaxLength { get; set; }

    /// <summary>As <see cref="TokenizeOptions.AddBeginningOfSequence"/> (the learned end-of-text token by default).</summary>
    public bool AddBeginningOfSequence { get; set; }

    /// <summary>As <see cref="TokenizeOptions.AddEndOfSequence"/> (the learned end-of-text token by default).</summary>
    public bool AddEndOfSequence { get; set; }

    /// <summary>As <see cref="TokenizeOptions.PadToLength"/>.</summary>
    public int? PadToLength { get; set; }

    /// <summary>As <see cref="TokenizeOptions.AttentionMaskColumnName"/>.</summary>
    public string AttentionMaskColumnName { get; set; } = "AttentionMask";

    /// <summary>As <see cref="TokenizeOptions.TokenStringsColumnName"/>.</summary>
    public string? TokenStringsColumnName { get; set; }

    /// <summary>A copy (the training options are an immutable record, shared).</summary>
    internal TrainBpeTokenizerOptions Copy() => (TrainBpeTokenizerOptions)MemberwiseClone();

    /// <summary>The Tokenize options of the fitted transform, with <paramref name="tokenizer"/> (null while only checking the layout).</summary>
    internal TokenizeOptions ToTokenizeOptions(LlmTokenizer tokenizer) => new()
    {
        Tokenizer = tokenizer,
        InputColumnName = InputColumnName,
        OutputColumnName = OutputColumnName,
        MaxLength = MaxLength,
        AddBeginningOfSequence = AddBeginningOfSequence,
        AddEndOfSequence = AddEndOfSequence,
        PadToLength = PadToLength,
        AttentionMaskColumnName = AttentionMaskColumnName,
        TokenStringsColumnName = TokenStringsColumnName,
    };
}
