using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML;

namespace MLNetLlm.Embeddings;

/// <summary>
/// The lazy, batched output of <see cref="EmbedTextTransformer"/>: its cursors pass the input's columns through from
/// one input cursor and read the texts of the next batch from a second one (see <see cref="EmbeddingBatches"/>).
/// Does not shuffle: both input cursors must see the rows in the same order.
/// </summary>
internal sealed class EmbedTextDataView(IDataView source, EmbedTextMapper mapper, TextEmbedder embedder, int batchSize) : IDataView
{
    public bool CanShuffle => false;
    public DataViewSchema Schema => mapper.OutputSchema;
    public long? GetRowCount() => source.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        var columns = columnsNeeded.ToArray();
        var active = mapper.ActiveAdded(columns);
        var passThrough = columns.Where(c => c.Index < mapper.InputSchema.Count).Select(c => source.Schema[c.Index]).ToArray();
        if (!active[0])
            return new MappedCursor(mapper, source.GetRowCursor(passThrough), active);

        var main = source.GetRowCursor(passThrough);
        try
        {
            var text = source.Schema[mapper.Input.Index];
            var batches = new EmbeddingBatches(source.GetRowCursor([text]), text, embedder, batchSize);
            return new EmbedTextCursor(mapper, main, batches);
        }
        catch
        {
            main.Dispose();
            throw;
        }
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        [GetRowCursor(columnsNeeded, rand)];
}

/// <summary>A cursor of <see cref="EmbedTextDataView"/> with the embedding column active.</summary>
internal sealed class EmbedTextCursor(EmbedTextMapper mapper, DataViewRowCursor main, EmbeddingBatches batches) : DataViewRowCursor
{
    public override long Position => main.Position;
    public override long Batch => main.Batch;
    public override DataViewSchema Schema => mapper.OutputSchema;
    public override bool MoveNext() => main.MoveNext();
    public override ValueGetter<DataViewRowId> GetIdGetter() => main.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column) =>
        column.Index == mapper.OutputIndex || (column.Index < mapper.OutputIndex && main.IsColumnActive(main.Schema[column.Index]));

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index < mapper.OutputIndex)
            return main.GetGetter<TValue>(main.Schema[column.Index]);
        if (column.Index != mapper.OutputIndex)
            throw new ArgumentOutOfRangeException(nameof(column), $"Column '{column.Name}' (index {column.Index}) is not in this schema.");
        ValueGetter<VBuffer<float>> getter = (ref VBuffer<float> value) => EmbeddingChecks.Copy(batches.Get(main.Position), ref value);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' holds a vector of Single, not {typeof(TValue).Name}.");
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            main.Dispose();
            batches.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>
/// The embeddings of the rows around the current one: when row r is asked for and is not in the current batch, the
/// look-ahead cursor skips to r and the texts of rows r .. r + batchSize - 1 are embedded in one call.
/// </summary>
internal sealed class EmbeddingBatches : IDisposable
{
    private readonly DataViewRowCursor _ahead;
    private readonly ValueGetter<ReadOnlyMemory<char>> _getText;
    private readonly TextEmbedder _embedder;
    private readonly int _batchSize;
    private readonly List<string> _texts = [];
    private long _start;
    private float[][] _vectors = [];

    public EmbeddingBatches(DataViewRowCursor ahead, DataViewSchema.Column text, TextEmbedder embedder, int batchSize)
    {
        _ahead = ahead;
        _getText = ahead.GetGetter<ReadOnlyMemory<char>>(text);
        _embedder = embedder;
        _batchSize = batchSize;
    }

    /// <summary>The embedding of row <paramref name="row"/> (rows are asked for in increasing order).</summary>
    public float[] Get(long row)
    {
        if (row < _start)
            throw new InvalidOperationException($"{EmbedTextTransformer.Component}: row {row} was asked for after row {_start}.");
        if (row >= _start + _vectors.Length)
            Fill(row);
        return _vectors[row - _start];
    }

    public void Dispose() => _ahead.Dispose();

    private void Fill(long row)
    {
        while (_ahead.Position < row - 1)
            if (!_ahead.MoveNext())
                throw InputChanged(row);
        _texts.Clear();
        ReadOnlyMemory<char> text = default;
        while (_texts.Count < _batchSize && _ahead.MoveNext())
        {
            _getText(ref text);
            _texts.Add(text.ToString());
        }
        if (_texts.Count == 0)
            throw InputChanged(row);

        _vectors = _embedder.Embed(_texts);
        _start = row;
        for (int i = 0; i < _vectors.Length; i++)
            EmbeddingChecks.RequireFinite(_vectors[i], _embedder, row + i, _texts[i].AsMemory());
    }

    private static InvalidOperationException InputChanged(long row) =>
        new($"{EmbedTextTransformer.Component}: the input gave a second cursor fewer rows than the first (row {row} is missing). " +
            "EmbedText needs an input that gives the same rows in the same order to every cursor.");
}
