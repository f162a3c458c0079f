using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Preparation;

/// <summary>A cursor over <see cref="NextTokenWindowDataView"/>: turns each window of tokens into inputs and targets.</summary>
internal sealed class NextTokenWindowCursor : DataViewRowCursor
{
    private readonly NextTokenWindowDataView _view;
    private readonly IWindowSource _windows;
    private readonly bool[] _active;
    private readonly int _contextLength;
    private readonly long _paddingId;
    private long[] _tokens = [];
    private int _count;
    private long _index = -1;
    private long _position = -1;
    private bool _done;

    public NextTokenWindowCursor(NextTokenWindowDataView view, IWindowSource windows, IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        _view = view;
        _windows = windows;
        _contextLength = view.Settings.ContextLength;
        _paddingId = view.Settings.PaddingId;
        _active = new bool[view.Schema.Count];
        foreach (var column in columnsNeeded)
            _active[column.Index] = true;
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (_done)
            return false;
        if (_windows.TryNext(out _tokens, out _count, out _index))
        {
            _position++;
            return true;
        }
        _done = true;
        _view.ReportRowCount(_position + 1);
        return false;
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= _active.Length || _view.Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' is not a column of the next-token windows.");
        if (!_active[column.Index])
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
        if (typeof(TValue) != typeof(VBuffer<long>))
            throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<Int64>, not {typeof(TValue).Name}.");
        ValueGetter<VBuffer<long>> getter = column.Index == 0 ? GetInputs : GetTargets;
        return (ValueGetter<TValue>)(Delegate)getter;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() =>
        (ref DataViewRowId id) =>
        {
            EnsureRow();
            id = new DataViewRowId((ulong)_index, 0);
        };

    private void GetInputs(ref VBuffer<long> value)
    {
        EnsureRow();
        var editor = VBufferEditor.Create(ref value, _contextLength);
        int real = Math.Min(_count, _contextLength);
        _tokens.AsSpan(0, real).CopyTo(editor.Values);
        editor.Values[real..].Fill(_paddingId);
        value = editor.Commit();
    }

    private void GetTargets(ref VBuffer<long> value)
    {
        EnsureRow();
        var editor = VBufferEditor.Create(ref value, _contextLength);
        int real = _count - 1;
        _tokens.AsSpan(1, real).CopyTo(editor.Values);
        editor.Values[real..].Fill(NextTokenWindowOptions.IgnoredTargetId);
        value = editor.Commit();
    }

    private void EnsureRow()
    {
        if (_position < 0 || _done)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _windows.Dispose();
        base.Dispose(disposing);
    }
}
