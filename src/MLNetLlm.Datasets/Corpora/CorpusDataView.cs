using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Datasets;

/// <summary>A column of a <see cref="CorpusDataView{TRow}"/>: its name, its type and how a row gives its value.</summary>
internal abstract class CorpusColumn<TRow>(string name, DataViewType type)
{
    public string Name { get; } = name;

    public DataViewType Type { get; } = type;

    /// <summary>A getter reading the column from whatever row <paramref name="current"/> returns at call time.</summary>
    public abstract Delegate MakeGetter(Func<TRow> current);

    public static CorpusColumn<TRow> Text(string name, Func<TRow, string> value) => new TextColumn(name, value);

    public static CorpusColumn<TRow> Boolean(string name, Func<TRow, bool> value) => new BooleanColumn(name, value);

    /// <summary>A variable-length vector of text, one element per string of the row's array.</summary>
    public static CorpusColumn<TRow> TextVector(string name, Func<TRow, string[]> value) => new TextVectorColumn(name, value);

    private sealed class TextColumn(string name, Func<TRow, string> value) : CorpusColumn<TRow>(name, TextDataViewType.Instance)
    {
        public override Delegate MakeGetter(Func<TRow> current) =>
            new ValueGetter<ReadOnlyMemory<char>>((ref ReadOnlyMemory<char> destination) => destination = value(current()).AsMemory());
    }

    private sealed class BooleanColumn(string name, Func<TRow, bool> value) : CorpusColumn<TRow>(name, BooleanDataViewType.Instance)
    {
        public override Delegate MakeGetter(Func<TRow> current) =>
            new ValueGetter<bool>((ref bool destination) => destination = value(current()));
    }

    private sealed class TextVectorColumn(string name, Func<TRow, string[]> value)
        : CorpusColumn<TRow>(name, new VectorDataViewType(TextDataViewType.Instance))
    {
        public override Delegate MakeGetter(Func<TRow> current) =>
            new ValueGetter<VBuffer<ReadOnlyMemory<char>>>((ref VBuffer<ReadOnlyMemory<char>> destination) =>
            {
                var texts = value(current());
                var editor = VBufferEditor.Create(ref destination, texts.Length);
                for (var i = 0; i < texts.Length; i++)
                    editor.Values[i] = texts[i].AsMemory();
                destination = editor.Commit();
            });
    }
}

/// <summary>
/// A read-only <see cref="IDataView"/> over rows produced lazily: each cursor enumerates <c>rows()</c> afresh,
/// so a corpus is parsed while it is read and never held in memory as a whole. Not shufflable; the row count is
/// known only when given.
/// </summary>
internal sealed class CorpusDataView<TRow> : IDataView where TRow : class
{
    private readonly Func<IEnumerable<TRow>> _rows;
    private readonly IReadOnlyList<CorpusColumn<TRow>> _columns;
    private readonly long? _rowCount;

    public CorpusDataView(Func<IEnumerable<TRow>> rows, IReadOnlyList<CorpusColumn<TRow>> columns, long? rowCount)
    {
        _rows = rows;
        _columns = columns;
        _rowCount = rowCount;
        var builder = new DataViewSchema.Builder();
        foreach (var column in columns)
            builder.AddColumn(column.Name, column.Type);
        Schema = builder.ToSchema();
    }

    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _rowCount;

    /// <summary>The rows themselves, enumerated afresh, for builders in this package that need the objects.</summary>
    internal IEnumerable<TRow> Rows() => _rows();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(column => column.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly CorpusDataView<TRow> _view;
        private readonly HashSet<int> _active;
        private readonly IEnumerator<TRow> _rows;
        private TRow? _current;
        private long _position = -1;

        public Cursor(CorpusDataView<TRow> view, HashSet<int> active)
        {
            _view = view;
            _active = active;
            _rows = view._rows().GetEnumerator();
        }

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_rows.MoveNext())
            {
                _current = _rows.Current;
                _position++;
                return true;
            }
            _current = null;
            return false;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column))
                throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
            var getter = _view._columns[column.Index].MakeGetter(Current);
            return getter as ValueGetter<TValue> ?? throw new InvalidOperationException(
                $"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        private TRow Current() => _current ?? throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");

        protected override void Dispose(bool disposing)
        {
            if (disposing)
                _rows.Dispose();
            base.Dispose(disposing);
        }
    }
}
