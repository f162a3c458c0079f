namespace MLNetLlm.Tokenization;

/// <summary>Repairs invalid UTF-16 before tokenization.</summary>
internal static class Utf16Text
{
    /// <summary>Returns <paramref name="text"/> itself when it is valid UTF-16, else a copy with each lone surrogate replaced by U+FFFD.</summary>
    public static ReadOnlySpan<char> ReplaceLoneSurrogates(ReadOnlySpan<char> text)
    {
        int firstBad = IndexOfLoneSurrogate(text);
        if (firstBad < 0)
            return text;

        var repaired = text.ToArray();
        for (int i = firstBad; i < repaired.Length; i++)
        {
            char c = repaired[i];
            if (char.IsHighSurrogate(c) && i + 1 < repaired.Length && char.IsLowSurrogate(repaired[i + 1]))
                i++;
            else if (char.IsSurrogate(c))
                repaired[i] = '\uFFFD';
        }
        return repaired;
    }

    private static int IndexOfLoneSurrogate(ReadOnlySpan<char> text)
    {
        // Most text has no surrogate at all: a vectorised search skips it in one pass.
        int first = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (first < 0)
            return -1;
        for (int i = first; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsSurrogate(c))
                continue;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                i++;
            else
                return i;
        }
        return -1;
    }
}
