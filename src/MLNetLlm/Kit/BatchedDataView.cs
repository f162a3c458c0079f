using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Kit;

/// <summary>
/// The lazy output of a <see cref="BatchedColumnMapper{TInput,TBatch}"/> over a data view. Nothing runs until a cursor
/// reads an added column; then a second cursor over the same input, running ahead of the first, reads the next
/// <see cref="BatchedColumnMapper{TInput,TBatch}.BatchSize"/> rows' inputs and the mapper computes them in one call.
/// Both cursors see the same rows in the same order (a shuffling cursor gives both the same seed), so memory follows one
/// batch.
/// </summary>
public sealed class BatchedDataView<TInput, TBatch>(IDataView source, BatchedColumnMapper<TInput, TBatch> mapper) : IDataView
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
        var active = mapper.ActiveAdded(columns);
        int? seed = rand?.Next();
        var main = source.GetRowCursor(mapper.GetDependencies(columns).Select(c => source.Schema[c.Index]), Rand(seed));
        var ahead = active.Contains(true)
            ? source.GetRowCursor(mapper.BatchColumns.Select(c => source.Schema[c.Index]), Rand(seed))
            : null;
        return new BatchedCursor<TInput, TBatch>(mapper, main, ahead, active);
    }

    /// <inheritdoc/>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)]; // one model, one batch stream: parallel cursors would only queue on it

    private static Random? Rand(int? seed) => seed is int s ? new Random(s) : null;
}

/// <summary>A cursor of <see cref="BatchedDataView{TInput,TBatch}"/>: input columns from the main cursor, added ones from batches.</summary>
internal sealed class BatchedCursor<TInput, TBatch> : DataViewRowCursor
{
    private readonly BatchedColumnMapper<TInput, TBatch> _mapper;
    private readonly DataViewRowCursor _main;
    private readonly DataViewRowCursor? _ahead;
    private readonly bool[] _active;
    private readonly MappedColumns _columns;
    private readonly Func<TInput>? _read;
    private long _row = -1;        // rows the main cursor has moved to, minus one
    private long _batchStart;      // row index of the first row in _batch
    private TBatch _batch = default!;
    private int _batchCount;
    private List<TInput>? _inputs; // refilled for every batch

    public BatchedCursor(BatchedColumnMapper<TInput, TBatch> mapper, DataViewRowCursor main, DataViewRowCursor? ahead, bool[] active)
    {
        _mapper = mapper;
        _main = main;
        _ahead = ahead;
        _active = active;
        if (ahead is not null)
            _read = mapper.CreateReader(ahead, active);
        _columns = new MappedColumns(mapper, main, [.. active.Select((on, i) => on ? mapper.Getter(i, Current, Offset) : null)], active);
    }

    public override long Position => _main.Position;
    public override long Batch => _main.Batch;
    public override DataViewSchema Schema => _columns.Schema;
    public override ValueGetter<DataViewRowId> GetIdGetter() => _main.GetIdGetter();
    public override bool IsColumnActive(DataViewSchema.Column column) => _columns.IsColumnActive(column);
    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _columns.GetGetter<TValue>(column);

    public override bool MoveNext()
    {
        if (!_main.MoveNext())
            return false;
        _row++;
        return true;
    }

    private int Offset() => (int)(_row - _batchStart);

    // The batch holding the current row, computed when the row is past the last batch.
    private TBatch Current()
    {
        if (_row < 0)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        if (_row < _batchStart + _batchCount)
            return _batch;
        for (long next = _batchStart + _batchCount; next < _row; next++)
            _ahead!.MoveNext(); // rows the caller skipped without reading an added column
        var inputs = _inputs ??= new List<TInput>(Math.Min(_mapper.BatchSize, 1024)); // a huge batch size grows with the rows it reads, never allocated up front
        inputs.Clear();
        while (inputs.Count < _mapper.BatchSize && _ahead!.MoveNext())
            inputs.Add(_read!());
        if (inputs.Count == 0)
            throw new InvalidOperationException("The input gave fewer rows to a second cursor than to the first: it must give the same rows to every cursor.");
        _batch = _mapper.Compute(inputs, _active, _batch);
        _batchStart = _row;
        _batchCount = inputs.Count;
        return _batch;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _main.Dispose();
            _ahead?.Dispose();
        }
        base.Dispose(disposing);
    }
}
