namespace MLNetLlm.Search;

/// <summary>How a vector index compares vectors. Scores are always "higher is better".</summary>
public enum VectorMetric
{
    /// <summary>Cosine similarity, from -1 to 1. Zero vectors are refused (their angle is undefined).</summary>
    Cosine,

    /// <summary>The dot product (inner product); for L2-normalised vectors, the cosine similarity.</summary>
    DotProduct,

    /// <summary>Euclidean distance; the score is the negated squared distance, so the nearest vector scores highest (0 for the query itself).</summary>
    L2,
}
