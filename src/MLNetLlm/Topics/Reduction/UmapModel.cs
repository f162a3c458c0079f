using System.Text.Json.Serialization;

namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// A fitted UMAP as plain data (saved as JSON with the topic model): the training rows, their layout and what the
/// transform of new rows needs.
/// </summary>
/// <remarks>
/// <see cref="Transform"/> follows umap-learn's <c>transform</c>: the row's k nearest training rows, their memberships
/// with ρ = 0 (umap-learn's local connectivity − 1) and σ such that they sum to log₂ k, the membership-weighted mean of
/// their coordinates as the start, then a quarter of the learning rate for 100 epochs (30 above 10,000 training rows)
/// of the same SGD with the training layout fixed. Two differences make a row's result depend on the row alone: each
/// row is optimised by itself with a generator seeded afresh (umap-learn shares one across a batch and prunes edges by
/// the batch's largest weight), and a row equal to its nearest training row gets that row's fitted coordinates, so the
/// training documents keep their topics.
/// </remarks>
internal sealed class UmapModel
{
    private readonly NeighborSpace _space;

    [JsonConstructor]
    public UmapModel(UmapMetric metric, int neighbors, float a, float b, float learningRate, int seed, float[][] data, float[][] embedding)
    {
        (Metric, Neighbors, A, B, LearningRate, Seed, Data, Embedding) = (metric, neighbors, a, b, learningRate, seed, data, embedding);
        _space = new NeighborSpace(data, metric);
    }

    public UmapMetric Metric { get; }
    public int Neighbors { get; }
    public float A { get; }
    public float B { get; }
    public float LearningRate { get; }
    public int Seed { get; }

    [JsonConverter(typeof(FloatRowsJsonConverter))]
    public float[][] Data { get; }

    [JsonConverter(typeof(FloatRowsJsonConverter))]
    public float[][] Embedding { get; }

    /// <summary>Output dimensions.</summary>
    [JsonIgnore]
    public int Components => Embedding[0].Length;

    /// <summary>Input dimensions.</summary>
    [JsonIgnore]
    public int InputSize => Data[0].Length;

    /// <summary>Whether the arrays agree with each other (checked when a saved model is read).</summary>
    public bool IsConsistent() => Neighbors >= 2 && Data.Length == Embedding.Length && Data.Length > Neighbors
        && InputSize > Components && Components >= 1 && float.IsFinite(A) && float.IsFinite(B)
        && Data.All(row => row.Length == InputSize && row.All(float.IsFinite))
        && Embedding.All(row => row.Length == Components && row.All(float.IsFinite));

    /// <summary>The layout coordinates of a new row (thread-safe; a function of the row and the model alone).</summary>
    /// <exception cref="ArgumentException">The row has the wrong length or holds NaN or infinity.</exception>
    public float[] Transform(ReadOnlySpan<float> row)
    {
        if (row.Length != InputSize)
            throw new ArgumentException($"UMAP: the row has {row.Length} values; the model was fitted on {InputSize}.", nameof(row));
        foreach (var value in row)
            if (!float.IsFinite(value))
                throw new ArgumentException("UMAP: the row holds NaN or infinity.", nameof(row));
        var (indices, distances) = _space.Nearest(row, Neighbors);
        if (row.SequenceEqual(Data[indices[0]]))
            return (float[])Embedding[indices[0]].Clone();

        var memberships = FuzzySimplicialSet.Memberships(distances, Neighbors, distances.Average(d => (double)d), localConnectivity: 0);
        var position = new float[Components];
        float total = memberships.Sum();
        for (int j = 0; j < indices.Length; j++)
            for (int c = 0; c < Components; c++)
                position[c] += memberships[j] / total * Embedding[indices[j]][c];

        int epochs = Data.Length <= 10_000 ? 100 : 30;
        var graph = new UmapGraph(1, new int[indices.Length], indices, memberships).Without(memberships.Max() / epochs);
        UmapLayout.Optimize([position], Embedding, graph, A, B, epochs, LearningRate / 4, new Random(Seed));
        return position;
    }
}
