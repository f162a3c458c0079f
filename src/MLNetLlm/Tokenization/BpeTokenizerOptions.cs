namespace MLNetLlm.Tokenization;

/// <summary>How a BPE tokenizer read from Hugging Face <c>vocab.json</c> + <c>merges.txt</c> files (or trained) splits text.</summary>
/// <remarks>
/// The special tokens of the tokenizer are <see cref="SpecialTokens"/> together with <see cref="EndOfTextToken"/>,
/// <see cref="PaddingToken"/> and <see cref="UnknownToken"/> (those set). Each keeps its id when the vocabulary has it
/// (GPT-2's <c>vocab.json</c> holds <c>&lt;|endoftext|&gt;</c> = 50256); the others get the next free ids, in that order.
/// </remarks>
public sealed record BpeTokenizerOptions
{
    /// <summary>GPT-2's pre-tokenization pattern: contractions, words, numbers and punctuation runs with their leading space, whitespace.</summary>
    public const string Gpt2PreTokenizerPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    /// <summary>
    /// Whether tokens are over UTF-8 bytes written with GPT-2's byte-to-unicode alphabet (<c>Ġ</c> for a space), as in
    /// GPT-2 and RoBERTa files. Byte-level BPE encodes any text without an unknown token. Default true.
    /// </summary>
    public bool ByteLevel { get; init; } = true;

    /// <summary>
    /// The regular expression that splits text into words before merges; text outside its matches is dropped
    /// (the default matches everything). Default <see cref="Gpt2PreTokenizerPattern"/>.
    /// </summary>
    public string PreTokenizerPattern { get; init; } = Gpt2PreTokenizerPattern;

    /// <summary>Further special tokens, matched literally in text before pre-tokenization. Default none.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>The token that ends a document. Default <c>&lt;|endoftext|&gt;</c>; null for none.</summary>
    public string? EndOfTextToken { get; init; } = "<|endoftext|>";

    /// <summary>The padding token, for example <c>&lt;|pad|&gt;</c>. Default null: no padding id.</summary>
    public string? PaddingToken { get; init; }

    /// <summary>
    /// The token for characters the vocabulary cannot spell, for a BPE that is not byte-level (for example <c>&lt;unk&gt;</c>).
    /// Default null: such characters are dropped. Not allowed with <see cref="ByteLevel"/>, which needs none.
    /// </summary>
    public string? UnknownToken { get; init; }

    /// <summary>The special tokens in id-assignment order, without repeats.</summary>
    internal IReadOnlyList<string> AllSpecialTokens()
    {
        var all = new List<string>();
        foreach (var token in SpecialTokens.Append(EndOfTextToken).Append(PaddingToken).Append(UnknownToken))
        {
            if (token is null)
                continue;
            if (token.Length == 0)
                throw new ArgumentException("A special token cannot be empty.");
            if (!all.Contains(token))
                all.Add(token);
        }
        return all;
    }
}
