namespace MLNetLlm.Search;

/// <summary>How a <see cref="VectorIndex"/> compares and searches vectors.</summary>
public sealed record VectorIndexOptions
{
    /// <summary>
    /// The corpus size from which <see cref="VectorEngine.Auto"/> switches from exact search to HNSW. Default 20,000.
    /// Measured (docs/benchmarks.md, "vector-search", 384-dimensional sentence embeddings, a loaded machine): at
    /// 10,000 vectors HNSW at the default ef answers 1.2x faster than exact search, at 100,000 24x faster (recall@10
    /// 0.96), but its graph takes minutes to build where exact search takes seconds, so the switch is set where the
    /// faster queries start to pay for the build.
    /// </summary>
    public int ExactBelow { get; init; } = 20_000;

    /// <summary>How vectors are compared. Default <see cref="VectorMetric.Cosine"/>.</summary>
    public VectorMetric Metric { get; init; } = VectorMetric.Cosine;

    /// <summary>Which search runs. Default <see cref="VectorEngine.Auto"/>.</summary>
    public VectorEngine Engine { get; init; } = VectorEngine.Auto;

    /// <summary>HNSW: links per node (USearch's connectivity, HNSW's M). Default 16.</summary>
    public int Connectivity { get; init; } = 16;

    /// <summary>HNSW: candidates kept while inserting (efConstruction). Default 128.</summary>
    public int ExpansionAdd { get; init; } = 128;

    /// <summary>
    /// HNSW: candidates kept while searching (ef); higher is slower and more exact. Default 64: on MiniLM embeddings of
    /// WordNet glosses, recall@10 0.98 at 10,000 vectors and 0.96 at 100,000, where it answers 24x faster than exact
    /// search (docs/benchmarks.md, "vector-search"); uniform random vectors, HNSW's worst case, need about 1,024.
    /// </summary>
    public int ExpansionSearch { get; init; } = 64;

    /// <summary>The defaults.</summary>
    public static VectorIndexOptions Default { get; } = new();

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ExactBelow, nameof(ExactBelow));
        ArgumentOutOfRangeException.ThrowIfLessThan(Connectivity, 2, nameof(Connectivity));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(Connectivity, 1024, nameof(Connectivity));
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionAdd, 1, nameof(ExpansionAdd));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ExpansionAdd, 1 << 16, nameof(ExpansionAdd));
        ArgumentOutOfRangeException.ThrowIfLessThan(ExpansionSearch, 1, nameof(ExpansionSearch));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(ExpansionSearch, 1 << 16, nameof(ExpansionSearch));
        if (!Enum.IsDefined(Metric))
            throw new ArgumentOutOfRangeException(nameof(Metric), Metric, "Unknown vector metric.");
        if (!Enum.IsDefined(Engine))
            throw new ArgumentOutOfRangeException(nameof(Engine), Engine, "Unknown vector engine.");
    }
}
