using Cloud.Unum.USearch;

namespace MLNetLlm.Search;

/// <summary>
/// An HNSW graph through USearch, keyed by slot. A filtered search asks the graph for more neighbours until enough
/// pass the filter (or the whole index was asked). An index opened as a memory-mapped view is read-only in USearch:
/// the first change loads it into memory.
/// </summary>
internal sealed class HnswVectorEngine : IVectorSearchEngine
{
    private readonly VectorMetric _metric;
    private int _expansionSearch;
    private USearchIndex _index;
    private string? _viewedFile;
    private int _live;

    public HnswVectorEngine(int dimension, VectorIndexOptions options)
    {
        _metric = options.Metric;
        _index = new USearchIndex(MetricOf(options.Metric), ScalarKind.Float32, (ulong)dimension,
            (ulong)options.Connectivity, (ulong)options.ExpansionAdd, (ulong)options.ExpansionSearch);
        ExpansionSearch = options.ExpansionSearch;
    }

    private HnswVectorEngine(USearchIndex index, VectorMetric metric, int live, string? viewedFile, int expansionSearch)
    {
        _index = index;
        ExpansionSearch = expansionSearch;
        _metric = metric;
        _live = live;
        _viewedFile = viewedFile;
    }

    public VectorEngine Kind => VectorEngine.Hnsw;

    /// <summary>Candidates kept while searching (ef), set on the native graph (also after loading, which resets it).</summary>
    public int ExpansionSearch
    {
        get => _expansionSearch;
        set
        {
            USearchNative.SetExpansionSearch(_index, value);
            _expansionSearch = value;
        }
    }

    /// <summary>The search expansion the native graph holds now (for tests).</summary>
    internal int NativeExpansionSearch => USearchNative.ExpansionSearch(_index);

    /// <summary>Whether the graph is a read-only memory-mapped view of its file.</summary>
    public bool IsMemoryMapped => _viewedFile is not null;

    public void Add(IReadOnlyList<int> slots, IReadOnlyList<float[]> vectors)
    {
        if (slots.Count == 0)
            return;
        MakeWritable();
        _index.Add([.. slots.Select(slot => (ulong)slot)], [.. vectors]);
        _live += slots.Count;
    }

    public void Remove(int slot)
    {
        MakeWritable();
        _live -= _index.Remove((ulong)slot);
    }

    public float[] Vector(int slot)
    {
        if (_index.Get((ulong)slot, out float[] vector) == 0)
            throw new InvalidOperationException($"The HNSW graph has no vector under slot {slot}.");
        return vector;
    }

    public List<(int Slot, float Score)> Search(float[] query, int count, Func<int, bool>? accept)
    {
        var hits = new List<(int Slot, float Score)>(count);
        var asked = count;
        while (true)
        {
            var found = _index.Search(query, asked, out var keys, out var distances);
            hits.Clear();
            for (var i = 0; i < found && hits.Count < count; i++)
                if (accept is null || accept((int)keys[i]))
                    hits.Add(((int)keys[i], ScoreOf(distances[i])));
            if (hits.Count >= count || asked >= _live)
                return hits;
            asked = (int)Math.Min(_live, (long)asked * 4);
        }
    }

    public void Save(string path, IReadOnlyList<int> slots) => _index.Save(path);

    /// <summary>Opens a saved graph, memory-mapped (<paramref name="memoryMap"/>) or loaded into memory.</summary>
    /// <exception cref="InvalidDataException">USearch cannot read the file, or it does not hold the expected graph.</exception>
    public static HnswVectorEngine Load(string path, VectorMetric metric, int dimension, int live, bool memoryMap, int expansionSearch)
    {
        USearchIndex index;
        try
        {
            index = new USearchIndex(path, view: memoryMap);
        }
        catch (USearchException e)
        {
            throw new InvalidDataException($"The HNSW file '{Path.GetFileName(path)}' cannot be read ({e.Message}): the index is truncated or damaged.", e);
        }
        if ((int)index.Dimensions() != dimension || (int)index.Size() != live)
        {
            var (dims, size) = (index.Dimensions(), index.Size());
            index.Dispose();
            throw new InvalidDataException($"The HNSW file '{Path.GetFileName(path)}' holds {size} vectors of {dims} dimensions, the index expects {live} of {dimension}.");
        }
        return new HnswVectorEngine(index, metric, live, memoryMap ? path : null, expansionSearch);
    }

    public void Dispose() => _index.Dispose();

    // USearch reports distances: 1 - cosine, 1 - dot product, squared Euclidean distance.
    private float ScoreOf(float distance) => _metric == VectorMetric.L2 ? -distance : 1 - distance;

    private void MakeWritable()
    {
        if (_viewedFile is null)
            return;
        var loaded = new USearchIndex(_viewedFile, view: false);
        _index.Dispose();
        _index = loaded;
        _viewedFile = null;
        ExpansionSearch = _expansionSearch;
    }

    private static MetricKind MetricOf(VectorMetric metric) => metric switch
    {
        VectorMetric.Cosine => MetricKind.Cos,
        VectorMetric.DotProduct => MetricKind.Ip,
        VectorMetric.L2 => MetricKind.L2sq,
        _ => throw new ArgumentOutOfRangeException(nameof(metric)),
    };
}
