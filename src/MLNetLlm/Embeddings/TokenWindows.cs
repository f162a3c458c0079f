namespace MLNetLlm.Embeddings;

/// <summary>One window of a long text: its ids as the model takes them, and how many of them are text tokens.</summary>
/// <param name="Ids">The window's ids, framed as the text was (<c>[CLS] … [SEP]</c>).</param>
/// <param name="TextTokens">The window's text tokens (its ids without the framing): its weight in a length-weighted mean.</param>
public readonly record struct TokenWindow(IReadOnlyList<int> Ids, int TextTokens);

/// <summary>Splits a text's encoded ids into windows a model of fixed length reads, as <see cref="LongTextOptions"/> say.</summary>
public static class TokenWindows
{
    /// <summary>
    /// The windows of one text. Ids that fit <paramref name="windowTokens"/> are one window, the very list given.
    /// Longer ids framed by <paramref name="framing"/> keep that frame around each window's text tokens; unframed ids
    /// are cut plainly. <see cref="LongTextPooling.FirstWindow"/> gives the first window only (a WordPiece text cut as
    /// <see cref="TokenBatch.Truncate"/> cuts it); otherwise windows step by their text tokens minus the overlap, the
    /// last one shorter, or, past <see cref="LongTextOptions.MaxWindows"/>, that many full windows spread evenly.
    /// </summary>
    /// <param name="ids">The text's ids as its tokenizer encoded them.</param>
    /// <param name="framing">What the tokenizer puts around a text (<see cref="TokenFraming.Of"/>).</param>
    /// <param name="windowTokens">The model's window, framing included.</param>
    /// <param name="options">Overlap, window bound and whether only the first window is read.</param>
    /// <exception cref="ArgumentException"><paramref name="windowTokens"/> leaves no room for a text token inside the framing.</exception>
    public static TokenWindow[] Split(IReadOnlyList<int> ids, TokenFraming framing, int windowTokens, LongTextOptions options)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(framing);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(windowTokens, 1);
        var frame = framing.Frames(ids) ? framing : TokenFraming.None;
        int framingTokens = frame.Prefix.Count + frame.Suffix.Count;
        int textLength = ids.Count - framingTokens;
        if (ids.Count <= windowTokens)
            return [new TokenWindow(ids, textLength)];
        int perWindow = windowTokens - framingTokens; // text tokens a window holds
        if (perWindow < 1)
            throw new ArgumentException($"A window of {windowTokens} tokens leaves no room for text inside the tokenizer's {framingTokens} framing tokens.", nameof(windowTokens));
        if (options.Pooling == LongTextPooling.FirstWindow)
            return [Window(ids, frame, 0, perWindow)];

        int stride = perWindow - Math.Min(options.Overlap, perWindow / 2);
        long needed = 1 + ((long)textLength - perWindow + stride - 1) / stride;
        if (needed <= options.MaxWindows)
        {
            var windows = new TokenWindow[needed];
            for (int i = 0; i < needed; i++)
            {
                int start = i * stride;
                windows[i] = Window(ids, frame, start, Math.Min(perWindow, textLength - start));
            }
            return windows;
        }
        int count = options.MaxWindows;
        if (count == 1)
            return [Window(ids, frame, 0, perWindow)];
        var spread = new TokenWindow[count];
        for (int i = 0; i < count; i++)
            spread[i] = Window(ids, frame, checked((int)((long)i * (textLength - perWindow) / (count - 1))), perWindow);
        return spread;
    }

    // The frame's prefix, the text tokens [start, start + length), the frame's suffix.
    private static TokenWindow Window(IReadOnlyList<int> ids, TokenFraming frame, int start, int length)
    {
        var window = new int[frame.Prefix.Count + length + frame.Suffix.Count];
        int at = 0;
        foreach (int id in frame.Prefix)
            window[at++] = id;
        for (int t = 0; t < length; t++)
            window[at++] = ids[frame.Prefix.Count + start + t];
        foreach (int id in frame.Suffix)
            window[at++] = id;
        return new TokenWindow(window, length);
    }
}
