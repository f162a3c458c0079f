using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Kit;

/// <summary>The output columns of one mapped row or cursor: input columns pass through, added ones come from getters.</summary>
internal sealed class MappedColumns(ColumnMapper mapper, DataViewRow input, Delegate?[] getters, bool[] activeAdded)
{
    public DataViewSchema Schema => mapper.OutputSchema;

    public bool IsColumnActive(DataViewSchema.Column column)
    {
        int inputCount = mapper.InputSchema.Count;
        return column.Index < inputCount ? input.IsColumnActive(input.Schema[column.Index]) : activeAdded[column.Index - inputCount];
    }

    public ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int inputCount = mapper.InputSchema.Count;
        if (column.Index < inputCount)
            return input.GetGetter<TValue>(input.Schema[column.Index]);
        int added = column.Index - inputCount;
        if (added >= activeAdded.Length)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not in this schema.");
        if (!activeAdded[added])
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when the cursor was made.");
        return getters[added] as ValueGetter<TValue>
            ?? throw new InvalidOperationException(
                $"Column '{column.Name}' holds {mapper.Added[added].Type}, not {typeof(TValue).Name}.");
    }
}

/// <summary>A row of a <see cref="ColumnMapper"/>'s output over an input row (what <see cref="IRowToRowMapper.GetRow"/> returns).</summary>
internal sealed class MappedRow(ColumnMapper mapper, DataViewRow input, Delegate?[] getters, bool[] activeAdded) : DataViewRow
{
    private readonly MappedColumns _columns = new(mapper, input, getters, activeAdded);

    public override long Position => input.Position;
    public override long Batch => input.Batch;
    public override DataViewSchema Schema => _columns.Schema;
    public override bool IsColumnActive(DataViewSchema.Column column) => _columns.IsColumnActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _columns.GetGetter<TValue>(column);
    public override ValueGetter<DataViewRowId> GetIdGetter() => input.GetIdGetter();
}

/// <summary>A cursor over a <see cref="MappedDataView"/>: moves its input cursor and computes added columns on demand.</summary>
internal sealed class MappedCursor : DataViewRowCursor
{
    private readonly DataViewRowCursor _input;
    private readonly MappedColumns _columns;

    public MappedCursor(ColumnMapper mapper, DataViewRowCursor input, bool[] activeAdded)
    {
        _input = input;
        _columns = new MappedColumns(mapper, input, mapper.CreateGetters(input, activeAdded), activeAdded);
    }

    public override long Position => _input.Position;
    public override long Batch => _input.Batch;
    public override DataViewSchema Schema => _columns.Schema;
    public override bool MoveNext() => _input.MoveNext();
    public override bool IsColumnActive(DataViewSchema.Column column) => _columns.IsColumnActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _columns.GetGetter<TValue>(column);
    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            _input.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// The lazy result of a column-adding transform: nothing is computed until a cursor asks for an added column, and
/// then only for the row under the cursor, so memory follows one row, not the data.
/// </summary>
public sealed class MappedDataView(IDataView source, ColumnMapper mapper) : IDataView
{
    /// <inheritdoc/>
    public bool CanShuffle => source.CanShuffle;
    /// <inheritdoc/>
    public DataViewSchema Schema => mapper.OutputSchema;
    /// <inheritdoc/>
    public long? GetRowCount() => source.GetRowCount();

    /// <inheritdoc/>
    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var columns = columnsNeeded.ToArray();
        var inputCursor = source.GetRowCursor(SourceColumns(columns), rand);
        return new MappedCursor(mapper, inputCursor, mapper.ActiveAdded(columns));
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        var columns = columnsNeeded.ToArray();
        return source.GetRowCursorSet(SourceColumns(columns), n, rand)
            .Select(cursor => (DataViewRowCursor)new MappedCursor(mapper, cursor, mapper.ActiveAdded(columns)))
            .ToArray();
    }

    // The mapper's input schema is the source's schema, so its columns are the source's columns.
    private IEnumerable<DataViewSchema.Column> SourceColumns(IEnumerable<DataViewSchema.Column> columns) =>
        mapper.GetDependencies(columns).Select(c => source.Schema[c.Index]);
}
