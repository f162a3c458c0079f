namespace MLNetLlm.Tokenization;

/// <summary>How <see cref="VocabularyBuilder"/> turns counted pieces into a vocabulary, and the special tokens it reserves.</summary>
/// <remarks>
/// Ids are stable: the special tokens come first, in the order <see cref="PaddingToken"/>, <see cref="UnknownToken"/>,
/// <see cref="EndOfTextToken"/>, then <see cref="SpecialTokens"/> (those set, without repeats); then the pieces by
/// decreasing count, ties in ordinal order of their text.
/// </remarks>
public sealed record VocabularyBuilderOptions
{
    /// <summary>The most ids the vocabulary may have, special tokens included; the rarest pieces are left out. Default null: no limit.</summary>
    public int? MaxVocabularySize { get; init; }

    /// <summary>The fewest times a piece must occur in the texts to get an id. Default 1.</summary>
    public int MinFrequency { get; init; } = 1;

    /// <summary>Whether pieces are lower-cased (invariant culture) before counting and encoding. Default false.</summary>
    public bool LowerCase { get; init; }

    /// <summary>The padding token (id 0 by default). Default <c>&lt;pad&gt;</c>; null for none.</summary>
    public string? PaddingToken { get; init; } = "<pad>";

    /// <summary>The token that pieces outside the vocabulary encode to. Default <c>&lt;unk&gt;</c>; null to drop such pieces.</summary>
    public string? UnknownToken { get; init; } = "<unk>";

    /// <summary>The token that ends a document. Default <c>&lt;|endoftext|&gt;</c>; null for none.</summary>
    public string? EndOfTextToken { get; init; } = "<|endoftext|>";

    /// <summary>Further special tokens, such as <c>[CLS]</c> and <c>[SEP]</c>, matched literally in text. Default none.</summary>
    public IReadOnlyList<string> SpecialTokens { get; init; } = [];

    /// <summary>The special tokens in id order, without repeats.</summary>
    internal IReadOnlyList<string> AllSpecialTokens()
    {
        var all = new List<string>();
        foreach (var token in new[] { PaddingToken, UnknownToken, EndOfTextToken }.Concat(SpecialTokens))
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
