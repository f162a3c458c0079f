namespace MLNetLlm.Preparation;

/// <summary>A source of windows: up to <c>ContextLength + 1</c> consecutive tokens of the stream and the window's index.</summary>
internal interface IWindowSource : IDisposable
{
    /// <summary>
    /// Moves to the next window: <paramref name="tokens"/><c>[0..count)</c>, valid until the next call; a window with
    /// <paramref name="count"/> below <c>ContextLength + 1</c> is the padded tail. False when there is none left.
    /// </summary>
    bool TryNext(out long[] tokens, out int count, out long index);
}

/// <summary>
/// Cuts a <see cref="TokenStream"/> into windows (semantics on <see cref="NextTokenWindowOptions"/>) with one buffer
/// of <c>ContextLength + 1</c> tokens: a stride below that keeps the overlap, a larger one skips tokens unread.
/// </summary>
internal sealed class WindowSlicer : IWindowSource
{
    private readonly TokenStream _stream;
    private readonly WindowSettings _settings;
    private readonly long[] _buffer;
    private int _count;
    private long _nextIndex;
    private bool _advancePending;
    private bool _finished;

    public WindowSlicer(TokenStream stream, WindowSettings settings)
    {
        _stream = stream;
        _settings = settings;
        _buffer = new long[settings.WindowTokens];
    }

    public bool TryNext(out long[] tokens, out int count, out long index)
    {
        tokens = _buffer;
        count = 0;
        index = -1;
        if (_finished)
            return false;
        if (_advancePending)
            Advance();
        _count += _stream.Read(_buffer.AsSpan(_count));
        if (_count == _buffer.Length)
        {
            // A full window that ends exactly at the end of the stream is the last one, even with Pad.
            _finished = _stream.AtEnd;
            _advancePending = true;
        }
        else
        {
            _finished = true;
            if (!_settings.PadTail || _count < 2)
                return false;
        }
        count = _count;
        index = _nextIndex++;
        return true;
    }

    private void Advance()
    {
        _advancePending = false;
        int stride = _settings.Stride;
        if (stride < _count)
        {
            Array.Copy(_buffer, stride, _buffer, 0, _count - stride);
            _count -= stride;
        }
        else
        {
            _stream.Skip(stride - _count);
            _count = 0;
        }
    }

    public void Dispose() => _stream.Dispose();
}
