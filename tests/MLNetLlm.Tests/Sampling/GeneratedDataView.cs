using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Tests.Sampling;

/// <summary>
/// An <see cref="IDataView"/> of <c>rowCount</c> rows made on the fly (nothing stored): Id = position (long),
/// Label = position % 4 (int), Weight = 1 + position % 3 (float). It counts the cursors opened on it and samples
/// the managed heap (<see cref="GC.GetTotalMemory"/>) every 65,536 rows, keeping the peak.
/// </summary>
internal sealed class GeneratedDataView(long rowCount, bool knowsRowCount = true) : IDataView
{
    public const int BytesPerRow = sizeof(long) + sizeof(int) + sizeof(float);

    public long RowCount => rowCount;

    public int CursorsOpened { get; private set; }

    public long PeakManagedBytes { get; private set; }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; } = BuildSchema();

    public long? GetRowCount() => knowsRowCount ? rowCount : null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        CursorsOpened++;
        return new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private static DataViewSchema BuildSchema()
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Id", NumberDataViewType.Int64);
        builder.AddColumn("Label", NumberDataViewType.Int32);
        builder.AddColumn("Weight", NumberDataViewType.Single);
        return builder.ToSchema();
    }

    private sealed class Cursor(GeneratedDataView parent, HashSet<int> active) : DataViewRowCursor
    {
        private long _position = -1;

        public override DataViewSchema Schema => parent.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool IsColumnActive(DataViewSchema.Column column) => active.Contains(column.Index);

        public override bool MoveNext()
        {
            if (_position + 1 >= parent.RowCount)
                return false;
            _position++;
            if ((_position & 0xFFFF) == 0)
                parent.PeakManagedBytes = Math.Max(parent.PeakManagedBytes, GC.GetTotalMemory(false));
            return true;
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            Delegate getter = column.Index switch
            {
                0 => (ValueGetter<long>)((ref long value) => value = _position),
                1 => (ValueGetter<int>)((ref int value) => value = (int)(_position % 4)),
                _ => (ValueGetter<float>)((ref float value) => value = 1 + _position % 3),
            };
            return (ValueGetter<TValue>)getter;
        }
    }
}
