namespace MLNetLlm.Preparation;

/// <summary>
/// Shuffles windows as they stream, as ML.NET's <c>ShuffleRows</c> shuffles rows: a pool of windows is filled, each
/// output is drawn at random from it and its place is refilled with the next window; once the source ends the pool
/// drains in random order. Memory: <c>poolSize · (ContextLength + 1)</c> tokens.
/// </summary>
internal sealed class WindowShufflePool : IWindowSource
{
    private readonly IWindowSource _source;
    private readonly Random _random;
    private readonly int _capacity;
    private readonly List<PooledWindow> _pool = [];
    private PooledWindow _current = new();
    private bool _sourceEnded;
    private bool _filled;

    public WindowShufflePool(IWindowSource source, int poolSize, int seed)
    {
        _source = source;
        _capacity = poolSize;
        _random = new Random(seed);
    }

    public bool TryNext(out long[] tokens, out int count, out long index)
    {
        if (!_filled)
        {
            _filled = true;
            while (_pool.Count < _capacity && TakeFromSource(new PooledWindow(), out var window))
                _pool.Add(window);
        }
        if (_pool.Count == 0)
        {
            tokens = [];
            count = 0;
            index = -1;
            return false;
        }
        int drawn = _random.Next(_pool.Count);
        (_current, _pool[drawn]) = (_pool[drawn], _current);
        if (!TakeFromSource(_pool[drawn], out _))
        {
            _pool[drawn] = _pool[^1];
            _pool.RemoveAt(_pool.Count - 1);
        }
        tokens = _current.Tokens;
        count = _current.Count;
        index = _current.Index;
        return true;
    }

    /// <summary>Copies the source's next window into <paramref name="into"/>, reusing its array.</summary>
    private bool TakeFromSource(PooledWindow into, out PooledWindow window)
    {
        window = into;
        if (_sourceEnded || !_source.TryNext(out var tokens, out int count, out long index))
        {
            _sourceEnded = true;
            return false;
        }
        if (into.Tokens.Length < tokens.Length)
            into.Tokens = new long[tokens.Length];
        Array.Copy(tokens, into.Tokens, count);
        into.Count = count;
        into.Index = index;
        return true;
    }

    public void Dispose() => _source.Dispose();

    private sealed class PooledWindow
    {
        public long[] Tokens = [];
        public int Count;
        public long Index;
    }
}
