namespace MLNetLlm.Generation;

/// <summary>
/// The tokens a generator's model currently sees, one left-padded row per prompt, all of equal length: what the
/// TorchSharp and ONNX Runtime generation loops both feed their model. <see cref="GenerationSteps"/> makes it, slides it
/// and appends to it; a model step only reads it.
/// </summary>
public sealed class TokenWindow
{
    private readonly List<int>[] _tokens;
    private readonly List<bool>[] _real;

    /// <summary>A window holding <paramref name="prompts"/>, each left-padded to the longest.</summary>
    internal TokenWindow(IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        int width = prompts.Max(p => p.Count);
        _tokens = [.. prompts.Select(p => Enumerable.Repeat(0, width - p.Count).Concat(p).ToList())];
        _real = [.. prompts.Select(p => Enumerable.Repeat(false, width - p.Count).Concat(Enumerable.Repeat(true, p.Count)).ToList())];
    }

    /// <summary>Number of rows (prompts).</summary>
    public int Rows => _tokens.Length;

    /// <summary>Tokens per row, padding included.</summary>
    public int Length => _tokens[0].Count;

    /// <summary>Whether no row holds padding.</summary>
    public bool AllReal => _real.All(row => !row.Contains(false));

    /// <summary>The ids of the whole window, row after row (B × Length).</summary>
    public long[] Ids() => [.. _tokens.SelectMany(row => row.Select(id => (long)id))];

    /// <summary>Whether each token of the window is real rather than padding, row after row (B × Length).</summary>
    public bool[] RealMask() => [.. _real.SelectMany(row => row)];

    /// <summary>The newest token of every row (B).</summary>
    public long[] LastIds() => [.. _tokens.Select(row => (long)row[^1])];

    /// <summary>Appends one generated token to every row.</summary>
    internal void Append(int[] next)
    {
        for (int row = 0; row < Rows; row++) { _tokens[row].Add(next[row]); _real[row].Add(true); }
    }

    /// <summary>Drops the oldest tokens of every row so that <paramref name="count"/> remain (the window slides).</summary>
    internal void KeepLast(int count)
    {
        for (int row = 0; row < Rows; row++)
        {
            _tokens[row].RemoveRange(0, _tokens[row].Count - count);
            _real[row].RemoveRange(0, _real[row].Count - count);
        }
    }

    /// <summary>
    /// Fills the mask of the whole window (B, Length), and the ids and positions of the columns from
    /// <paramref name="from"/> on (B, Length - from). A real token's position counts the real tokens before it;
    /// padding gets position 0.
    /// </summary>
    internal void Fill(Span<long> ids, Span<long> positions, Span<long> mask, int from)
    {
        int length = Length, fed = length - from;
        for (int row = 0; row < Rows; row++)
        {
            long position = 0;
            for (int t = 0; t < length; t++)
            {
                bool real = _real[row][t];
                mask[row * length + t] = real ? 1 : 0;
                if (t >= from)
                {
                    ids[row * fed + t - from] = _tokens[row][t];
                    positions[row * fed + t - from] = real ? position : 0;
                }
                if (real) position++;
            }
        }
    }
}
