using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Preparation;

/// <summary>Reads the token ids of one document (input row) at a time from a cursor over the input.</summary>
internal abstract class DocumentReader : IDisposable
{
    private readonly DataViewRowCursor _cursor;

    protected DocumentReader(DataViewRowCursor cursor) => _cursor = cursor;

    /// <summary>The tokens of the current document, valid until the next <see cref="MoveNext"/>.</summary>
    public abstract ReadOnlySpan<long> Tokens { get; }

    /// <summary>Moves to the next document; false at the end of the input.</summary>
    public bool MoveNext()
    {
        if (!_cursor.MoveNext())
            return false;
        ReadCurrent();
        return true;
    }

    /// <summary>Reads the current row of the cursor into <see cref="Tokens"/>.</summary>
    protected abstract void ReadCurrent();

    /// <inheritdoc/>
    public void Dispose() => _cursor.Dispose();
}

/// <summary>Documents from a column of Int64 token-id vectors, such as the output of the Tokenize transform.</summary>
internal sealed class TokenColumnReader : DocumentReader
{
    private readonly ValueGetter<VBuffer<long>> _getter;
    private VBuffer<long> _value;
    private long[] _dense = [];
    private int _length;
    private bool _isDense;

    public TokenColumnReader(IDataView data, DataViewSchema.Column column) : this(data.GetRowCursor([column]), column)
    {
    }

    private TokenColumnReader(DataViewRowCursor cursor, DataViewSchema.Column column) : base(cursor) =>
        _getter = cursor.GetGetter<VBuffer<long>>(column);

    public override ReadOnlySpan<long> Tokens => _isDense ? _value.GetValues() : _dense.AsSpan(0, _length);

    protected override void ReadCurrent()
    {
        _getter(ref _value);
        _isDense = _value.IsDense;
        if (_isDense)
            return;
        _length = _value.Length;
        if (_dense.Length < _length)
            _dense = new long[Math.Max(_length, _dense.Length * 2)];
        _value.CopyTo(_dense);
    }
}

/// <summary>Documents from a text column, tokenized as they are read.</summary>
internal sealed class TextColumnReader : DocumentReader
{
    private readonly ValueGetter<ReadOnlyMemory<char>> _getter;
    private readonly LlmTokenizer _tokenizer;
    private ReadOnlyMemory<char> _text;
    private long[] _ids = [];
    private int _length;

    public TextColumnReader(IDataView data, DataViewSchema.Column column, LlmTokenizer tokenizer)
        : this(data.GetRowCursor([column]), column, tokenizer)
    {
    }

    private TextColumnReader(DataViewRowCursor cursor, DataViewSchema.Column column, LlmTokenizer tokenizer) : base(cursor)
    {
        _getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        _tokenizer = tokenizer;
    }

    public override ReadOnlySpan<long> Tokens => _ids.AsSpan(0, _length);

    protected override void ReadCurrent()
    {
        _getter(ref _text);
        IReadOnlyList<int> ids = _text.IsEmpty ? [] : _tokenizer.EncodeToIds(_text.Span);
        _length = ids.Count;
        if (_ids.Length < _length)
            _ids = new long[Math.Max(_length, _ids.Length * 2)];
        for (int i = 0; i < _length; i++)
            _ids[i] = ids[i];
    }
}
