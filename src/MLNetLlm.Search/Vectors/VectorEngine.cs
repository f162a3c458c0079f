namespace MLNetLlm.Search;

/// <summary>Which search a vector index runs.</summary>
public enum VectorEngine
{
    /// <summary>
    /// Exact search while the index holds fewer than <see cref="VectorIndexOptions.ExactBelow"/> vectors, HNSW from
    /// there on (an exact index that grows past the break-even moves its vectors into HNSW once).
    /// </summary>
    Auto,

    /// <summary>Brute force over every vector with System.Numerics.Tensors: exact, no build time, linear in the corpus.</summary>
    Exact,

    /// <summary>An approximate HNSW graph (USearch): sub-linear search, a build cost, recall slightly below 1.</summary>
    Hnsw,
}
