
namespace MLNetLlm.Tokenization;

/// <summary>Options of the DecodeTokens transform (<c>mlContext.Transforms.Llm.DecodeTokens</c>): token ids back to text.</summary>
public sealed class DecodeTokensOptions
{
    /// <summary>The tokenizer whose ids the column holds. Required.</summary>
    public required LlmTokenizer Tokenizer { get; set; }

    /// <summary>The token ids column: a vector (known or variable size) of Int64 or Int32. Default <c>Tokens</c>.</summary>
    public string InputColumnName { get; set; } = "Tokens";

    /// <summary>The decoded text column. Default <c>DecodedText</c>.</summary>
    public string OutputColumnName { get; set; } = "DecodedText";

    /// <summary>
    /// An attention mask column beside the ids (as Tokenize writes with <c>PadToLength</c>): ids whose mask is 0 are
    /// left out. Default null: every id is decoded.
    /// </summary>
    public string? AttentionMaskColumnName { get; set; }

    /// <summary>Whether to leave out the tokenizer's special tokens (end of text, padding, ...). Default false.</summary>
    public bool SkipSpecialTokens { get; set; }
}
