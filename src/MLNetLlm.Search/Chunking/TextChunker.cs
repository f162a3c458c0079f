using System.Text.RegularExpressions;

namespace MLNetLlm.Search;

/// <summary>
/// Splits documents into passages for indexing, by tokens with overlap or by whole sentences or paragraphs, keeping
/// each passage's source id and character span so that a search result can cite where it came from.
/// </summary>
public static partial class TextChunker
{
    /// <summary>The passages of one document, in order. An empty or blank text has none.</summary>
    /// <param name="sourceId">The document's id (non-blank).</param>
    /// <param name="text">The document's text.</param>
    /// <param name="options">How to cut; null for the defaults (sentences up to 128 words).</param>
    /// <exception cref="ArgumentException">A blank source id or an invalid option.</exception>
    public static IReadOnlyList<TextChunk> Split(string sourceId, string? text, ChunkingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceId);
        options ??= new ChunkingOptions();
        options.Validate();
        if (string.IsNullOrWhiteSpace(text))
            return [];
        var spans = options.Mode switch
        {
            ChunkingMode.Tokens => TokenWindows(text, 0, text.Length, options),
            ChunkingMode.Sentences => Pack(text, Units(SentenceEnd(), text, 0, text.Length), options, (s, e) => TokenWindows(text, s, e, options)),
            _ => Pack(text, Units(ParagraphBreak(), text, 0, text.Length), options,
                (s, e) => Pack(text, Units(SentenceEnd(), text, s, e), options, (s2, e2) => TokenWindows(text, s2, e2, options))),
        };
        return [.. spans.Select((span, i) => new TextChunk($"{sourceId}#{i}", sourceId, text[span.Start..span.End], span.Start, span.End - span.Start))];
    }

    /// <summary>The passages of many documents, in order.</summary>
    public static IEnumerable<TextChunk> Split(IEnumerable<(string Id, string Text)> documents, ChunkingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        foreach (var (id, text) in documents)
            foreach (var chunk in Split(id, text, options))
                yield return chunk;
    }

    // Token spans of text[start..end), as character ranges of the whole text.
    private static List<(int Start, int End)> Tokens(string text, int start, int end, ChunkingOptions options)
    {
        var spans = new List<(int Start, int End)>();
        if (options.Tokenizer is null)
        {
            foreach (Match word in Word().Matches(text[start..end]))
                spans.Add((start + word.Index, start + word.Index + word.Length));
            return spans;
        }
        foreach (var token in options.Tokenizer.EncodeToTokens(text.AsSpan(start, end - start), out _, considerPreTokenization: true, considerNormalization: false))
        {
            var (offset, length) = token.Offset.GetOffsetAndLength(end - start);
            if (length > 0)
                spans.Add((start + offset, start + offset + length));
        }
        return spans;
    }

    private static List<(int Start, int End)> TokenWindows(string text, int start, int end, ChunkingOptions options)
    {
        var tokens = Tokens(text, start, end, options);
        var windows = new List<(int Start, int End)>();
        var step = options.MaxTokens - options.Overlap;
        for (var first = 0; first < tokens.Count; first += step)
        {
            var last = Math.Min(first + options.MaxTokens, tokens.Count) - 1;
            windows.Add((tokens[first].Start, tokens[last].End));
            if (last == tokens.Count - 1)
                break;
        }
        return windows;
    }

    // Consecutive units (sentences, paragraphs) joined while they fit; a unit too long alone is cut by `cut`.
    private static List<(int Start, int End)> Pack(string text, List<(int Start, int End)> units, ChunkingOptions options,
        Func<int, int, List<(int Start, int End)>> cut)
    {
        var passages = new List<(int Start, int End)>();
        int start = -1, end = -1, tokens = 0;
        foreach (var unit in units)
        {
            var count = Tokens(text, unit.Start, unit.End, options).Count;
            if (count > options.MaxTokens)
            {
                Flush();
                passages.AddRange(cut(unit.Start, unit.End));
                continue;
            }
            if (start >= 0 && tokens + count > options.MaxTokens)
                Flush();
            if (start < 0)
                start = unit.Start;
            end = unit.End;
            tokens += count;
        }
        Flush();
        return passages;

        void Flush()
        {
            if (start >= 0)
                passages.Add((start, end));
            start = -1;
            tokens = 0;
        }
    }

    // The non-blank pieces of text[start..end) between separators, trimmed of surrounding white space.
    private static List<(int Start, int End)> Units(Regex separator, string text, int start, int end)
    {
        var units = new List<(int Start, int End)>();
        var from = start;
        foreach (Match match in separator.Matches(text[start..end]))
        {
            Add(from, start + match.Index + match.Length);
            from = start + match.Index + match.Length;
        }
        Add(from, end);
        return units;

        void Add(int s, int e)
        {
            while (s < e && char.IsWhiteSpace(text[s]))
                s++;
            while (e > s && char.IsWhiteSpace(text[e - 1]))
                e--;
            if (e > s)
                units.Add((s, e));
        }
    }

    [GeneratedRegex(@"\S+")]
    private static partial Regex Word();

    // A sentence ends with . ! or ? (and closing quotes or brackets) before white space.
    [GeneratedRegex(@"[.!?]+[""')\]]*(?=\s)")]
    private static partial Regex SentenceEnd();

    [GeneratedRegex(@"\r?\n[ \t]*\r?\n\s*")]
    private static partial Regex ParagraphBreak();
}
