namespace MLNetLlm.Preparation;

/// <summary>
/// Split by documents: a row goes to validation when a hash of the seed and its position, read as a number in
/// <c>[0, 1)</c>, is below the validation fraction.
/// </summary>
internal sealed class DocumentSelector(int seed, double validationFraction, bool validation) : RowSelector
{
    public override bool Select(long position, int tokenCount, out int from, out int to)
    {
        from = 0;
        to = tokenCount;
        return IsValidation(seed, validationFraction, position) == validation;
    }

    /// <summary>Whether the row at <paramref name="position"/> belongs to validation.</summary>
    public static bool IsValidation(int seed, double validationFraction, long position) =>
        Uniform(seed, position) < validationFraction;

    /// <summary>SplitMix64 of the seed and the position, as a double in <c>[0, 1)</c>.</summary>
    private static double Uniform(int seed, long position)
    {
        ulong z = unchecked((ulong)position * 0x9E3779B97F4A7C15UL + (ulong)(uint)seed * 0xD1B54A32D192ED03UL + 0x632BE59BD9B4E019UL);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}

/// <summary>
/// Split by tokens: tokens before position <c>boundary</c> of the stream are training, the others validation. A row
/// whose tokens straddle the boundary is in both parts with its tokens cut; a row without tokens goes where its
/// position in the stream is (training before the boundary, validation at or after it).
/// </summary>
internal sealed class TokenSelector(long boundary, bool validation) : RowSelector
{
    private long _start;

    public override bool Exhausted => !validation && _start >= boundary;

    public override bool Select(long position, int tokenCount, out int from, out int to)
    {
        long start = _start;
        _start += tokenCount;
        if (validation)
        {
            from = (int)Math.Clamp(boundary - start, 0, tokenCount);
            to = tokenCount;
            return start + tokenCount > boundary || start >= boundary;
        }
        from = 0;
        to = (int)Math.Clamp(boundary - start, 0, tokenCount);
        return start < boundary;
    }
}
