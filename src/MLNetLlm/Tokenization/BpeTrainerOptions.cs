namespace MLNetLlm.Tokenization;

/// <summary>What <see cref="BpeTrainer"/> learns: the vocabulary size, how rare a merge may be, the special tokens and the pre-tokenizer.</summary>
public sealed record BpeTrainerOptions
{
    /// <summary>
    /// The number of ids to reach: the 256 byte tokens, the learned merges and the special tokens. Training stops
    /// earlier when no pair occurs <see cref="MinFrequency"/> times. Default 8,000.
    /// </summary>
    public int VocabularySize { get; init; } = 8_000;

    /// <summary>The fewest occurrences a pair needs to be merged. Default 2.</summary>
    public int MinFrequency { get; init; } = 2;

    /// <summary>The regular expression that splits text into words; merges never cross words. Default GPT-2's pattern.</summary>
    public string PreTokenizerPattern { get; init; } = BpeTokenizerOptions.Gpt2PreTokenizerPattern;

    /// <summary>The token that ends a document, given the last ids with the other special tokens. Default <c>&lt;|endoftext|&gt;</c>; null for none.</summary>
    public string? EndOfTextToken { get; init; } = "<|endoftext|>";

    /// <summary>The padding token, for example <c>&lt;|pad|&gt;</c>. Default null: no padding id.</summary>
    public string? PaddingToken { get; init; }

    /// <summary>Further special tokens. They are matched literally in text, never counted as words. Default none.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>The options of the trained tokenizer.</summary>
    internal BpeTokenizerOptions ToTokenizerOptions() => new()
    {
        ByteLevel = true,
        PreTokenizerPattern = PreTokenizerPattern,
        SpecialTokens = SpecialTokens,
        EndOfTextToken = EndOfTextToken,
        PaddingToken = PaddingToken,
    };
}
