namespace MLNetLlm.Topics;

/// <summary>How HDBSCAN picks its topics from the condensed cluster tree (the <c>hdbscan</c> library's <c>cluster_selection_method</c>).</summary>
public enum HdbscanSelection
{
    /// <summary>
    /// Excess of mass (<c>eom</c>, the <c>hdbscan</c> library's and BERTopic's default): a cluster is kept when it is more
    /// stable than its sub-clusters together. Favours a few large topics; a corpus whose layout is one continuous band
    /// with a small island can come out as just two topics.
    /// </summary>
    ExcessOfMass,

    /// <summary>
    /// Leaf (<c>leaf</c>): the clusters that split no further, the finest clusters of at least the minimum size. More and
    /// more homogeneous topics, and more outliers before outlier reduction.
    /// </summary>
    Leaf,
}
