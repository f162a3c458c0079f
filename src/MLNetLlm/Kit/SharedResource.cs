namespace MLNetLlm.Kit;

/// <summary>
/// A native resource (an ONNX Runtime session, an embedder) that the transformers fitted from one estimator share with
/// the work in flight on their cursors: each holder <see cref="Acquire"/>s it and <see cref="Release"/>s it once, and the
/// last release disposes it. A transformer holds it from <c>Fit</c> to its <c>Dispose</c>; a model call holds it while
/// it runs, so disposing a transformer never pulls the session from under a running batch.
/// </summary>
internal sealed class SharedResource<T>(T value, string owner) where T : class, IDisposable
{
    private readonly Lock _lock = new();
    private int _holders = 1; // the creator's hold, handed to the first Claim
    private bool _claimed;
    private bool _released;

    /// <summary>The resource, for a caller that holds it.</summary>
    public T Value => value;

    /// <summary>A hold for a new transformer: the creator's own for the first, one more for each after it.</summary>
    /// <exception cref="ObjectDisposedException">Every holder has released it: it is disposed.</exception>
    public T Claim()
    {
        lock (_lock)
        {
            ThrowIfReleased();
            if (_claimed)
                _holders++;
            _claimed = true;
            return value;
        }
    }

    /// <summary>Takes one more hold, for work in flight.</summary>
    /// <exception cref="ObjectDisposedException">Every holder has released it: it is disposed.</exception>
    public T Acquire()
    {
        lock (_lock)
        {
            ThrowIfReleased();
            _holders++;
            return value;
        }
    }

    /// <summary>Gives one hold back; the last disposes the resource.</summary>
    public void Release()
    {
        lock (_lock)
        {
            if (_released || --_holders > 0)
                return;
            _released = true;
        }
        value.Dispose();
    }

    private void ThrowIfReleased()
    {
        if (_released)
            throw new ObjectDisposedException(owner, $"{owner} was disposed, which released its model (its ONNX Runtime session); create the transform again to use it.");
    }

    /// <summary>Whether the resource was disposed.</summary>
    public bool IsReleased
    {
        get
        {
            lock (_lock)
                return _released;
        }
    }
}
