namespace MLNetLlm.Tokenization;

/// <summary>
/// A tokenizer that cuts text into pieces (words and punctuation, regex matches, or characters) and still needs a
/// vocabulary to give them ids: <see cref="Build"/> learns it from texts, <see cref="FromPieces"/> takes a fixed one.
/// Get one from <see cref="LlmTokenizers.Whitespace"/>, <see cref="LlmTokenizers.Regex"/> or <see cref="LlmTokenizers.Characters"/>.
/// </summary>
public sealed class VocabularyBuilder
{
    private readonly TextSplitter _splitter;

    internal VocabularyBuilder(TextSplitter splitter, VocabularyBuilderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MinFrequency, 1, nameof(options.MinFrequency));
        int specials = options.AllSpecialTokens().Count;
        if (options.MaxVocabularySize is int max && max <= specials)
            throw new ArgumentOutOfRangeException(nameof(options), max, $"MaxVocabularySize must exceed the {specials} special tokens.");
        _splitter = splitter;
        Options = options;
    }

    /// <summary>The kind of tokenizer this builds: <c>whitespace</c>, <c>regex</c> or <c>characters</c>.</summary>
    public string Kind => _splitter.Kind;

    /// <summary>The vocabulary options.</summary>
    public VocabularyBuilderOptions Options { get; }

    /// <summary>
    /// Counts the pieces of <paramref name="texts"/> (read once; null texts are skipped, special tokens are not counted) and
    /// returns the tokenizer over the special tokens and the pieces seen at least <see cref="VocabularyBuilderOptions.MinFrequency"/> times.
    /// </summary>
    public LlmTokenizer Build(IEnumerable<string?> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var specials = Options.AllSpecialTokens();
        var regex = _splitter.Compile(specials);
        var specialSet = specials.ToHashSet(StringComparer.Ordinal);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var text in texts)
        {
            if (string.IsNullOrEmpty(text))
                continue;
            var valid = Utf16Text.ReplaceLoneSurrogates(text).ToString();
            for (var match = regex.Match(valid); match.Success; match = match.NextMatch())
            {
                if (match.Length == 0 || specialSet.Contains(match.Value))
                    continue;
                var piece = Options.LowerCase ? match.Value.ToLowerInvariant() : match.Value;
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
            }
        }

        var ordered = counts
            .Where(kv => kv.Value >= Options.MinFrequency && !specialSet.Contains(kv.Key))
            .OrderByDescending(kv => kv.Value)
            .ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => kv.Key);
        if (Options.MaxVocabularySize is int max)
            ordered = ordered.Take(max - specials.Count);
        return new VocabularyLlmTokenizer(_splitter, Options, [.. specials, .. ordered]);
    }

    /// <summary>The tokenizer over the special tokens followed by <paramref name="pieces"/>, in the given order (repeats and special tokens skipped).</summary>
    public LlmTokenizer FromPieces(IEnumerable<string> pieces)
    {
        ArgumentNullException.ThrowIfNull(pieces);
        var specials = Options.AllSpecialTokens();
        var all = new List<string>(specials);
        var seen = specials.ToHashSet(StringComparer.Ordinal);
        foreach (var piece in pieces)
        {
            if (string.IsNullOrEmpty(piece))
                throw new ArgumentException("A vocabulary piece cannot be null or empty.", nameof(pieces));
            var normalized = Options.LowerCase ? piece.ToLowerInvariant() : piece;
            if (seen.Add(normalized))
                all.Add(normalized);
        }
        return new VocabularyLlmTokenizer(_splitter, Options, all);
    }
}
