namespace MLNetLlm.Preparation;

/// <summary>
/// The documents of a <see cref="DocumentReader"/> as one stream of tokens, with the separator between two
/// non-empty documents. Holds one document at a time.
/// </summary>
internal sealed class TokenStream : IDisposable
{
    private readonly DocumentReader _documents;
    private readonly long? _separatorId;
    private int _offset;
    private bool _separatorPending;
    private bool _anyDocument;
    private bool _ended;

    public TokenStream(DocumentReader documents, long? separatorId)
    {
        _documents = documents;
        _separatorId = separatorId;
    }

    /// <summary>Whether the stream has no token left (reads ahead to the next non-empty document).</summary>
    public bool AtEnd => !EnsureAvailable();

    /// <summary>Copies the next tokens into <paramref name="destination"/>; fewer than its length only at the end.</summary>
    public int Read(Span<long> destination)
    {
        int written = 0;
        while (written < destination.Length && EnsureAvailable())
        {
            if (_separatorPending)
            {
                destination[written++] = _separatorId!.Value;
                _separatorPending = false;
                continue;
            }
            var tokens = _documents.Tokens;
            int count = Math.Min(tokens.Length - _offset, destination.Length - written);
            tokens.Slice(_offset, count).CopyTo(destination[written..]);
            _offset += count;
            written += count;
        }
        return written;
    }

    /// <summary>Passes over the next <paramref name="count"/> tokens; returns how many there were.</summary>
    public long Skip(long count)
    {
        long skipped = 0;
        while (skipped < count && EnsureAvailable())
        {
            if (_separatorPending)
            {
                _separatorPending = false;
                skipped++;
                continue;
            }
            int step = (int)Math.Min(_documents.Tokens.Length - _offset, count - skipped);
            _offset += step;
            skipped += step;
        }
        return skipped;
    }

    private bool EnsureAvailable()
    {
        while (true)
        {
            if (_separatorPending || _offset < _documents.Tokens.Length)
                return true;
            if (_ended)
                return false;
            if (!_documents.MoveNext())
            {
                _ended = true;
                return false;
            }
            _offset = 0;
            if (_documents.Tokens.Length == 0)
                continue;
            _separatorPending = _anyDocument && _separatorId.HasValue;
            _anyDocument = true;
        }
    }

    /// <inheritdoc/>
    public void Dispose() => _documents.Dispose();
}
