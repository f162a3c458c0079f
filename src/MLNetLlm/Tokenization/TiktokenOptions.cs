namespace MLNetLlm.Tokenization;

/// <summary>Special tokens added to an OpenAI byte-level BPE vocabulary (GPT-2, r50k, cl100k, o200k).</summary>
public sealed record TiktokenOptions
{
    /// <summary>
    /// Special tokens to add, such as <c>&lt;|im_start|&gt;</c>. Each gets the next free id after the vocabulary and its
    /// built-in special tokens, in list order; a token the encoding already has keeps its id. Default: none.
    /// </summary>
    public IReadOnlyList<string> ExtraSpecialTokens { get; init; } = [];

    /// <summary>
    /// The padding token, added like an extra special token when the encoding lacks it (for example <c>&lt;|pad|&gt;</c>).
    /// Default null: no padding id (pad with <see cref="LlmTokenizer.EndOfTextId"/> as GPT-2 does, or mask).
    /// </summary>
    public string? PaddingToken { get; init; }
}
