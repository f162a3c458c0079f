namespace MLNetLlm.Tokenization;

/// <summary>
/// GPT-2's byte-to-unicode table: each of the 256 byte values as a printable character, so byte-level tokens can be
/// written in <c>vocab.json</c> and <c>merges.txt</c> (printable Latin-1 bytes stand for themselves, the others, space
/// included, are shifted to U+0100 and up: a space is <c>Ġ</c>).
/// </summary>
internal static class ByteLevelAlphabet
{
    /// <summary>The character of each byte value.</summary>
    public static readonly char[] ByteToChar = Build();

    /// <summary>The byte-level spelling of <paramref name="bytes"/>.</summary>
    public static string Spell(ReadOnlySpan<byte> bytes)
    {
        return string.Create(bytes.Length, bytes.ToArray(), static (chars, source) =>
        {
            for (int i = 0; i < source.Length; i++)
                chars[i] = ByteToChar[source[i]];
        });
    }

    private static char[] Build()
    {
        var table = new char[256];
        var isPrintable = new bool[256];
        for (int b = '!'; b <= '~'; b++) isPrintable[b] = true;
        for (int b = 0xA1; b <= 0xAC; b++) isPrintable[b] = true;
        for (int b = 0xAE; b <= 0xFF; b++) isPrintable[b] = true;

        int shifted = 0;
        for (int b = 0; b < 256; b++)
            table[b] = isPrintable[b] ? (char)b : (char)(256 + shifted++);
        return table;
    }
}
