namespace MLNetLlm.Topics.Reduction;

/// <summary>The distance UMAP's nearest-neighbour graph is built with.</summary>
internal enum UmapMetric
{
    /// <summary>1 − cosine similarity (0 to 2); a zero vector is at distance 1 from everything. BERTopic's choice for embeddings.</summary>
    Cosine,

    /// <summary>The straight-line distance.</summary>
    Euclidean,
}
