using System.Numerics.Tensors;

namespace MLNetLlm.Topics;

/// <summary>How HDBSCAN's outliers are given a topic after clustering (BERTopic's <c>reduce_outliers</c>).</summary>
public enum OutlierReductionStrategy
{
    /// <summary>Outliers stay in the outlier topic −1.</summary>
    None,

    /// <summary>
    /// An outlier goes to the topic whose centroid (the normalised mean of its documents' L2-normalised embeddings, as
    /// clustered, before any reassignment) is most cosine-similar to the document's embedding.
    /// </summary>
    Embeddings,

    /// <summary>
    /// An outlier goes to the topic whose c-TF-IDF vector (as clustered, before any reassignment) is most cosine-similar
    /// to the document's own c-TF-IDF vector: its word counts, L1-normalised (square-rooted with
    /// <see cref="TopicModelOptions.ReduceFrequentWords"/>), times the topics' idf. Transform then reads the text column too.
    /// </summary>
    ClassTfidf,
}

/// <summary>
/// Reassigns outliers as BERTopic's <c>reduce_outliers</c>: the similarity of the document to each topic (not the
/// outlier topic) as clustered; the most similar topic wins if its similarity is at least the threshold and above 0,
/// else the document stays an outlier. The topics' vectors are fixed at Fit, so Transform gives a training outlier the
/// topic Fit gave it, and a new document that lands among outliers is reassigned the same way.
/// </summary>
/// <param name="Strategy">Embeddings or ClassTfidf (never None: no reducer is made then).</param>
/// <param name="Threshold">The least similarity a reassignment needs.</param>
/// <param name="Clusters">The cluster id of each topic vector below.</param>
/// <param name="Centroids">Embeddings: each topic's normalised centroid.</param>
/// <param name="TopicVectors">ClassTfidf: each topic's c-TF-IDF vector.</param>
/// <param name="Idf">ClassTfidf: the idf of every word the topics know (over all classes, the outlier class included).</param>
/// <param name="Weighting">ClassTfidf: the c-TF-IDF variant the vectors were made with.</param>
internal sealed record OutlierReducer(
    OutlierReductionStrategy Strategy,
    float Threshold,
    int[] Clusters,
    float[][]? Centroids = null,
    Dictionary<string, double>[]? TopicVectors = null,
    Dictionary<string, double>? Idf = null,
    ClassTfidfWeighting Weighting = default)
{
    /// <summary>A reducer over the topics as clustered (the outlier topic left out); null when there is none to reduce to.</summary>
    public static OutlierReducer? Create(OutlierReductionStrategy strategy, float threshold, IReadOnlyList<TopicState> topics,
        ClassTfidfWeighting weighting)
    {
        var regular = topics.Where(t => !TopicBuilder.IsOutlier(t)).ToArray();
        if (strategy == OutlierReductionStrategy.None || regular.Length == 0)
            return null;
        var clusters = regular.Select(t => t.Clusters.Single()).ToArray();
        if (strategy == OutlierReductionStrategy.Embeddings)
            return new OutlierReducer(strategy, threshold, clusters, Centroids: regular.Select(t => t.Centroid()).ToArray());
        var counts = topics.Select(t => (IReadOnlyDictionary<string, int>)t.WordCounts).ToList();
        var idf = ClassTfidf.Idf(counts, weighting);
        return new OutlierReducer(strategy, threshold, clusters, TopicVectors: regular.Select(t => ClassTfidf.Vector(t.WordCounts, idf, weighting)).ToArray(),
            Idf: idf, Weighting: weighting);
    }

    /// <summary>Whether Transform must read the text column to reassign an outlier.</summary>
    public bool NeedsText => Strategy == OutlierReductionStrategy.ClassTfidf;

    /// <summary>
    /// The cluster an outlier goes to, or −1, and its best similarity.
    /// </summary>
    /// <param name="normalizedEmbedding">The document's L2-normalised embedding (Embeddings).</param>
    /// <param name="text">The document's text (ClassTfidf; null reads as empty).</param>
    public (int Cluster, double Similarity) Reassign(float[] normalizedEmbedding, string? text)
    {
        var similarities = Similarities(normalizedEmbedding, text);
        int best = 0;
        for (int i = 1; i < similarities.Length; i++)
            if (similarities[i] > similarities[best])
                best = i;
        double similarity = similarities[best];
        return (similarity >= Threshold && similarity > 0 ? Clusters[best] : -1, similarity);
    }

    private double[] Similarities(float[] normalizedEmbedding, string? text)
    {
        if (Strategy == OutlierReductionStrategy.Embeddings)
            return Centroids!.Select(c => (double)TensorPrimitives.Dot(c, normalizedEmbedding)).ToArray();
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var word in TopicWordTokenizer.Words(text ?? ""))
            if (Idf!.ContainsKey(word))
                counts[word] = counts.GetValueOrDefault(word) + 1;
        var vector = ClassTfidf.Vector(counts, Idf!, Weighting);
        return TopicVectors!.Select(t => ClassTfidf.Cosine(vector, t)).ToArray();
    }

    /// <summary>Why a saved reducer cannot be used, or null.</summary>
    public string? Inconsistency(int embeddingSize) => Strategy switch
    {
        _ when Clusters.Length == 0 || Clusters.Contains(-1) => "it has no topics or reassigns to the outlier topic",
        OutlierReductionStrategy.Embeddings when Centroids is null || Centroids.Length != Clusters.Length
            || Centroids.Any(c => c.Length != embeddingSize) => "its centroids do not match its topics or the embedding size",
        OutlierReductionStrategy.ClassTfidf when TopicVectors is null || Idf is null || TopicVectors.Length != Clusters.Length
            => "its c-TF-IDF vectors do not match its topics",
        OutlierReductionStrategy.None => "its strategy is None",
        _ => null,
    };
}
