
namespace MLNetLlm.Tokenization;

/// <summary>
/// Options of the Tokenize transform (<c>mlContext.Transforms.Llm.Tokenize</c>): text in, Int64 token ids out.
/// </summary>
/// <remarks>
/// The ids column is a variable-length vector of Int64 by default. With <see cref="PadToLength"/> it is a vector of
/// exactly that length, and an Int64 attention mask (1 for tokens, 0 for padding) is added: the fixed-size shape
/// <c>ApplyOnnxModel</c> accepts. Null or empty text gives no tokens (only the ones <see cref="AddBeginningOfSequence"/>
/// and <see cref="AddEndOfSequence"/> add). Special tokens written in the text (such as <c>&lt;|endoftext|&gt;</c>)
/// are encoded as the tokenizer does it; Microsoft.ML.Tokenizers' byte-level BPE tokenizers map them to their ids.
/// </remarks>
public sealed class TokenizeOptions
{
    /// <summary>The tokenizer. Required.</summary>
    public required LlmTokenizer Tokenizer { get; set; }

    /// <summary>The text column to tokenize. Default <c>Text</c>.</summary>
    public string InputColumnName { get; set; } = "Text";

    /// <summary>The token ids column (Int64 vector). Default <c>Tokens</c>.</summary>
    public string OutputColumnName { get; set; } = "Tokens";

    /// <summary>
    /// The most tokens a row keeps, added BOS/EOS included; longer texts keep their first tokens (then the EOS, when
    /// added). A tokenizer that ends every text with its own end token (a WordPiece tokenizer's <c>[SEP]</c>) keeps
    /// that token last, as Hugging Face tokenizers truncate. Default null: no truncation, or <see cref="PadToLength"/>
    /// when that is set.
    /// </summary>
    public int? MaxLength { get; set; }

    /// <summary>Whether to put a beginning-of-sequence id before the text's tokens. Default false.</summary>
    public bool AddBeginningOfSequence { get; set; }

    /// <summary>
    /// The beginning-of-sequence id. Default null: the tokenizer's special token named <c>&lt;|begin_of_text|&gt;</c>,
    /// <c>&lt;s&gt;</c>, <c>[CLS]</c>, <c>&lt;bos&gt;</c> or <c>&lt;|startoftext|&gt;</c> (first found), else its
    /// end-of-text id (GPT-2's convention: <c>&lt;|endoftext|&gt;</c> also starts documents).
    /// </summary>
    public int? BeginningOfSequenceId { get; set; }

    /// <summary>Whether to put an end-of-sequence id after the text's tokens. Default false.</summary>
    public bool AddEndOfSequence { get; set; }

    /// <summary>
    /// The end-of-sequence id. Default null: the tokenizer's special token named <c>&lt;|end_of_text|&gt;</c>,
    /// <c>&lt;/s&gt;</c>, <c>[SEP]</c> or <c>&lt;eos&gt;</c> (first found), else its end-of-text id.
    /// </summary>
    public int? EndOfSequenceId { get; set; }

    /// <summary>
    /// When set, every row's ids are truncated and padded to exactly this length (a known-size vector) and an
    /// attention mask column is added. Default null: variable-length ids, no mask.
    /// </summary>
    public int? PadToLength { get; set; }

    /// <summary>
    /// The padding id. Default null: the tokenizer's padding id, else its end-of-text id, else 0 (then padding is
    /// told apart from token 0 only by the attention mask).
    /// </summary>
    public int? PaddingId { get; set; }

    /// <summary>
    /// The id a text is read as when the tokenizer gives it no token at all (an empty or missing text with a byte-level
    /// BPE; a WordPiece tokenizer gives the empty text <c>[CLS] [SEP]</c> already). Set it to the end-of-text id to read
    /// an empty text as MLNetLlm's classifiers do (<c>ClassifyWithOnnx</c>'s ApplyOnnxModel chain does). Default null:
    /// no token (with <see cref="PadToLength"/>, a row of padding with a mask of zeros).
    /// </summary>
    public int? EmptyTextId { get; set; }

    /// <summary>The attention mask column (Int64 vector, 1 = token, 0 = padding), added with <see cref="PadToLength"/>. Default <c>AttentionMask</c>.</summary>
    public string AttentionMaskColumnName { get; set; } = "AttentionMask";

    /// <summary>
    /// When set, a column of that name holds each token's text (a variable-length vector of String, padding left
    /// out): the token decoded on its own, so a token that holds part of a multi-byte character shows U+FFFD.
    /// Default null: no such column.
    /// </summary>
    public string? TokenStringsColumnName { get; set; }
}
