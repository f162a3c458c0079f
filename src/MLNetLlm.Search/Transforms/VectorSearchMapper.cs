using MLNetLlm.Kit;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Search;

/// <summary>Searches the index for a batch of queries (text queries embedded in one call) and hands out each row's neighbours.</summary>
internal sealed class VectorSearchMapper : BatchedColumnMapper<VectorSearchQuery, IReadOnlyList<VectorHit>[]>
{
    private readonly VectorIndex _index;
    private readonly VectorSearchSettings _settings;
    private readonly DataViewSchema.Column _query;

    public VectorSearchMapper(DataViewSchema inputSchema, VectorIndex index, VectorSearchSettings settings)
        : base(inputSchema, settings.AddedColumns())
    {
        _index = index;
        _settings = settings;
        _query = inputSchema.GetColumnOrNull(settings.QueryColumnName)
            ?? throw new ArgumentOutOfRangeException(nameof(inputSchema), $"{SearchColumns.Component}: the input has no query column '{settings.QueryColumnName}'.");
        SearchColumns.RequireQuery(_query.Type, _query.Name, index.Embedder is not null, index.Dimension);
    }

    public override int BatchSize => _settings.BatchSize;

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => [_query];

    public override Func<VectorSearchQuery> CreateReader(DataViewRow row, bool[] activeAdded)
    {
        if (_query.Type is TextDataViewType)
        {
            var getText = row.GetGetter<ReadOnlyMemory<char>>(_query);
            ReadOnlyMemory<char> text = default;
            return () =>
            {
                getText(ref text);
                return new VectorSearchQuery(row.Position, text.ToString(), null);
            };
        }
        var getVector = row.GetGetter<VBuffer<float>>(_query);
        VBuffer<float> vector = default;
        return () =>
        {
            getVector(ref vector);
            var dense = new float[vector.Length];
            vector.CopyTo(dense);
            return new VectorSearchQuery(row.Position, null, dense);
        };
    }

    public override IReadOnlyList<VectorHit>[] Compute(IReadOnlyList<VectorSearchQuery> inputs, bool[] activeAdded)
    {
        var texts = inputs.Where(q => q.Vector is null).Select(q => q.Text ?? "").ToArray();
        var embedded = texts.Length == 0 ? [] : _index.Embedder!.Embed(texts);
        var results = new IReadOnlyList<VectorHit>[inputs.Count];
        var next = 0;
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = inputs[i].Vector ?? embedded[next++];
            try
            {
                results[i] = _index.Search(vector, _settings.K);
            }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException($"{SearchColumns.Component}: row {inputs[i].Position} of the query column '{_query.Name}': {e.Message}", e);
            }
        }
        return results;
    }

    public override Delegate Getter(int added, Func<IReadOnlyList<VectorHit>[]> batch, Func<int> offset) => added switch
    {
        0 => Texts(batch, offset, hit => hit.Id),
        1 => (ValueGetter<VBuffer<float>>)((ref VBuffer<float> value) =>
        {
            var hits = batch()[offset()];
            var editor = VBufferEditor.Create(ref value, hits.Count);
            for (var i = 0; i < hits.Count; i++)
                editor.Values[i] = hits[i].Score;
            value = editor.Commit();
        }),
        _ => Texts(batch, offset, hit => hit.Text ?? ""),
    };

    private static ValueGetter<VBuffer<ReadOnlyMemory<char>>> Texts(Func<IReadOnlyList<VectorHit>[]> batch, Func<int> offset, Func<VectorHit, string> select) =>
        (ref VBuffer<ReadOnlyMemory<char>> value) =>
        {
            var hits = batch()[offset()];
            var editor = VBufferEditor.Create(ref value, hits.Count);
            for (var i = 0; i < hits.Count; i++)
                editor.Values[i] = select(hits[i]).AsMemory();
            value = editor.Commit();
        };
}

internal readonly record struct VectorSearchQuery(long Position, string? Text, float[]? Vector);
