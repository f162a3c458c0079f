using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Preparation;

/// <summary>Decides, row by row as the input streams, whether a row belongs to one part of a split, and which tokens.</summary>
internal abstract class RowSelector
{
    /// <summary>
    /// Whether the input row at <paramref name="position"/> with <paramref name="tokenCount"/> tokens belongs to the
    /// part; if so, its tokens <c>[from, to)</c> do.
    /// </summary>
    public abstract bool Select(long position, int tokenCount, out int from, out int to);

    /// <summary>True once no later row can belong to the part, so the cursor stops reading.</summary>
    public virtual bool Exhausted => false;
}

/// <summary>One part of a train/validation split: the input's rows a <see cref="RowSelector"/> keeps, streamed.</summary>
internal sealed class SplitPartDataView : IDataView
{
    private readonly IDataView _input;
    private readonly Func<RowSelector> _newSelector;
    private readonly DataViewSchema.Column? _tokenColumn;
    private readonly long? _rowCount;

    /// <param name="input">The data split.</param>
    /// <param name="newSelector">A fresh selector for each cursor.</param>
    /// <param name="tokenColumn">The token column the selector slices, or null when it takes whole rows.</param>
    /// <param name="rowCount">The number of rows of the part, when known.</param>
    public SplitPartDataView(IDataView input, Func<RowSelector> newSelector, DataViewSchema.Column? tokenColumn, long? rowCount)
    {
        _input = input;
        _newSelector = newSelector;
        _tokenColumn = tokenColumn;
        _rowCount = rowCount;
    }

    public DataViewSchema Schema => _input.Schema;

    public bool CanShuffle => false;

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToList();
        var inputColumns = _tokenColumn is { } token && needed.All(c => c.Index != token.Index) ? [.. needed, token] : needed;
        return new SplitPartCursor(_input.GetRowCursor(inputColumns), _newSelector(), _tokenColumn, needed);
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class SplitPartCursor : DataViewRowCursor
    {
        private readonly DataViewRowCursor _input;
        private readonly RowSelector _selector;
        private readonly DataViewSchema.Column? _tokenColumn;
        private readonly ValueGetter<VBuffer<long>>? _tokenGetter;
        private readonly HashSet<int> _active;
        private VBuffer<long> _tokens;
        private int _from;
        private int _to;
        private long _position = -1;

        public SplitPartCursor(DataViewRowCursor input, RowSelector selector, DataViewSchema.Column? tokenColumn,
            IEnumerable<DataViewSchema.Column> active)
        {
            _input = input;
            _selector = selector;
            _tokenColumn = tokenColumn;
            _active = [.. active.Select(c => c.Index)];
            if (tokenColumn is { } column)
                _tokenGetter = input.GetGetter<VBuffer<long>>(column);
        }

        public override DataViewSchema Schema => _input.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            while (!_selector.Exhausted && _input.MoveNext())
            {
                int tokenCount = 0;
                if (_tokenGetter is not null)
                {
                    _tokenGetter(ref _tokens);
                    tokenCount = _tokens.Length;
                }
                if (_selector.Select(_input.Position, tokenCount, out _from, out _to))
                {
                    _position++;
                    return true;
                }
            }
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (_tokenColumn is not { } token || column.Index != token.Index)
                return _input.GetGetter<TValue>(column);
            if (!_active.Contains(column.Index))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was created.");
            ValueGetter<VBuffer<long>> getter = GetTokens;
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

        private void GetTokens(ref VBuffer<long> value)
        {
            if (_from == 0 && _to == _tokens.Length)
            {
                _tokens.CopyTo(ref value);
                return;
            }
            var editor = VBufferEditor.Create(ref value, _to - _from);
            if (_tokens.IsDense)
                _tokens.GetValues()[_from.._to].CopyTo(editor.Values);
            else
                for (int i = _from; i < _to; i++)
                    editor.Values[i - _from] = _tokens.GetItemOrDefault(i);
            value = editor.Commit();
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _input.Dispose();
            base.Dispose(disposing);
        }
    }
}
