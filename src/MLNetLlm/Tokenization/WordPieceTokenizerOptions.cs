namespace MLNetLlm.Tokenization;

/// <summary>Options of a BERT WordPiece tokenizer. The defaults are those of <c>bert-base-uncased</c>.</summary>
public sealed record WordPieceTokenizerOptions
{
    /// <summary>Whether text is lower-cased (and accents stripped) before splitting, as uncased BERT models expect. Default true.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Whether each encoded text starts with <see cref="ClassificationToken"/> and ends with <see cref="SeparatorToken"/>. Default true.</summary>
    public bool AddClassificationAndSeparator { get; init; } = true;

    /// <summary>The token for words the vocabulary cannot spell. Default <c>[UNK]</c>.</summary>
    public string UnknownToken { get; init; } = "[UNK]";

    /// <summary>The token that starts a sequence. Default <c>[CLS]</c>.</summary>
    public string ClassificationToken { get; init; } = "[CLS]";

    /// <summary>The token that ends a sequence (also the tokenizer's end-of-text id). Default <c>[SEP]</c>.</summary>
    public string SeparatorToken { get; init; } = "[SEP]";

    /// <summary>The padding token. Default <c>[PAD]</c>.</summary>
    public string PaddingToken { get; init; } = "[PAD]";

    /// <summary>The masking token of masked-language-model training. Default <c>[MASK]</c>.</summary>
    public string MaskingToken { get; init; } = "[MASK]";

    /// <summary>The prefix of a piece that continues a word. Default <c>##</c>.</summary>
    public string ContinuingSubwordPrefix { get; init; } = "##";
}
