namespace MLNetLlm.Topics.Reduction;

/// <summary>The settings of <see cref="Umap"/>; the defaults are umap-learn's, with BERTopic's 5 components and min_dist 0.</summary>
internal sealed record UmapOptions
{
    /// <summary>The neighbourhood size k (the point itself counted, as umap-learn's n_neighbors); at least 2.</summary>
    public int Neighbors { get; init; } = 15;

    /// <summary>The output dimensions; at least 1 and fewer than the input's.</summary>
    public int Components { get; init; } = 5;

    /// <summary>How close points may sit in the layout (umap-learn's min_dist); 0 or more, at most <see cref="Spread"/>.</summary>
    public float MinDistance { get; init; }

    /// <summary>The scale of the layout (umap-learn's spread).</summary>
    public float Spread { get; init; } = 1f;

    /// <summary>The input distance.</summary>
    public UmapMetric Metric { get; init; } = UmapMetric.Cosine;

    /// <summary>Layout epochs; null: 500 up to 10,000 points, else 200 (umap-learn's rule).</summary>
    public int? Epochs { get; init; }

    /// <summary>The starting learning rate of the layout.</summary>
    public float LearningRate { get; init; } = 1f;

    /// <summary>The seed of the initial noise, the spectral start and the negative sampling.</summary>
    public int Seed { get; init; }
}
