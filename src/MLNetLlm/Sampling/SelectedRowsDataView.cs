using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Sampling;

/// <summary>
/// The output of every sampling method: the chosen rows of a source view, streamed from the source in source
/// order. It holds no row data: each cursor walks the source once, skipping rows that were not chosen and
/// repeating a row drawn more than once. The schema is the source's own schema object.
/// </summary>
/// <remarks>
/// Getters delegate to the source cursor, so a repeated row costs no copy. A SMOTE row reads its feature vector
/// from <see cref="SyntheticVectors"/> and every other column from the row it was interpolated from.
/// Row ids are the output positions (unique even when a source row repeats). The view cannot shuffle
/// (<see cref="CanShuffle"/> is false) and gives one cursor per cursor set.
/// </remarks>
internal sealed class SelectedRowsDataView : IDataView
{
    private readonly IDataView _source;
    private readonly Func<IEnumerable<SelectedRow>> _rows;
    private readonly long? _rowCount;

    /// <param name="source">The data the rows are taken from.</param>
    /// <param name="rows">Makes the sequence of chosen rows, ordered by source position, anew for each cursor.</param>
    /// <param name="rowCount">The number of rows <paramref name="rows"/> yields, when known.</param>
    /// <param name="syntheticColumn">The float-vector column whose values <paramref name="syntheticVectors"/> replace on synthetic rows.</param>
    /// <param name="syntheticVectors">The feature vectors of synthetic rows, indexed by <see cref="SelectedRow.Synthetic"/>.</param>
    public SelectedRowsDataView(IDataView source, Func<IEnumerable<SelectedRow>> rows, long? rowCount,
        DataViewSchema.Column? syntheticColumn = null, IReadOnlyList<float[]>? syntheticVectors = null)
    {
        _source = source;
        _rows = rows;
        _rowCount = rowCount;
        SyntheticColumn = syntheticColumn;
        SyntheticVectors = syntheticVectors ?? [];
    }

    public DataViewSchema.Column? SyntheticColumn { get; }

    public IReadOnlyList<float[]> SyntheticVectors { get; }

    public bool CanShuffle => false;

    public DataViewSchema Schema => _source.Schema;

    public long? GetRowCount() => _rowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var needed = columnsNeeded.ToArray();
        return new Cursor(this, _source.GetRowCursor(needed), _rows().GetEnumerator());
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor(SelectedRowsDataView parent, DataViewRowCursor source, IEnumerator<SelectedRow> rows)
        : DataViewRowCursor
    {
        private long _sourcePosition = -1;
        private long _position = -1;
        private SelectedRow _current;
        private bool _done;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => source.IsColumnActive(column);

        public override bool MoveNext()
        {
            if (_done)
                return false;
            if (!rows.MoveNext())
                return Finish();
            _current = rows.Current;
            while (_sourcePosition < _current.Position)
            {
                if (!source.MoveNext())
                    return Finish();
                _sourcePosition++;
            }
            _position++;
            return true;
        }

        private bool Finish()
        {
            _done = true;
            return false;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId value) => value = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            var sourceGetter = source.GetGetter<TValue>(column);
            if (parent.SyntheticColumn is not { } synthetic || synthetic.Index != column.Index)
                return sourceGetter;
            if (sourceGetter is not ValueGetter<VBuffer<float>> vectorGetter)
                throw new InvalidOperationException($"Column '{column.Name}' holds float vectors, not {typeof(TValue).Name}.");
            ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) =>
            {
                if (!_current.IsSynthetic)
                {
                    vectorGetter(ref value);
                    return;
                }
                var vector = parent.SyntheticVectors[_current.Synthetic];
                var editor = VBufferEditor.Create(ref value, vector.Length);
                vector.CopyTo(editor.Values);
                value = editor.Commit();
            };
            return (ValueGetter<TValue>)(Delegate)getter;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rows.Dispose();
                source.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
