using System.Numerics.Tensors;

namespace MLNetLlm.Topics;

/// <summary>Turns the clusters of the training documents into topics: sizes, centroids, word counts, representatives, ids.</summary>
internal static class TopicBuilder
{
    /// <summary>One topic per cluster present in <paramref name="clusters"/> (−1 included), numbered by <see cref="Renumber"/>; words not ranked yet.</summary>
    public static List<TopicState> Build(int[] clusters, float[][] normalizedEmbeddings, IReadOnlyList<string>[] documentWords,
        string[] texts, int representatives)
    {
        var byCluster = new SortedDictionary<int, TopicState>();
        for (int d = 0; d < clusters.Length; d++)
        {
            if (!byCluster.TryGetValue(clusters[d], out var topic))
                byCluster[clusters[d]] = topic = new TopicState
                {
                    Clusters = [clusters[d]],
                    EmbeddingSum = new float[normalizedEmbeddings[d].Length],
                    WordCounts = new(StringComparer.Ordinal),
                    Representatives = [],
                };
            topic.Size++;
            TensorPrimitives.Add(topic.EmbeddingSum, normalizedEmbeddings[d], topic.EmbeddingSum);
            foreach (var word in documentWords[d])
                topic.WordCounts[word] = topic.WordCounts.GetValueOrDefault(word) + 1;
        }
        foreach (var topic in byCluster.Values)
        {
            var centroid = topic.Centroid();
            topic.Representatives = Enumerable.Range(0, clusters.Length)
                .Where(d => clusters[d] == topic.Clusters[0])
                .Select(d => (Document: d, Similarity: TensorPrimitives.Dot(centroid, normalizedEmbeddings[d])))
                .OrderByDescending(x => x.Similarity).ThenBy(x => x.Document)
                .Select(x => new RepresentativeDocument(texts[x.Document], normalizedEmbeddings[x.Document]))
                .DistinctBy(r => r.Text)
                .Take(representatives)
                .ToList();
        }
        var topics = byCluster.Values.ToList();
        Renumber(topics);
        return topics;
    }

    /// <summary>Sorts topics and numbers them: the outlier topic (cluster −1) is −1, the others 0, 1, ... by size, largest first.</summary>
    public static void Renumber(List<TopicState> topics)
    {
        topics.Sort((a, b) => IsOutlier(a) != IsOutlier(b) ? (IsOutlier(a) ? -1 : 1)
            : b.Size != a.Size ? b.Size.CompareTo(a.Size) : a.Clusters.Min().CompareTo(b.Clusters.Min()));
        int next = 0;
        foreach (var topic in topics)
            topic.Id = IsOutlier(topic) ? -1 : next++;
    }

    public static bool IsOutlier(TopicState topic) => topic.Clusters.Contains(-1);

    /// <summary>L2-normalises a copy of a vector (a zero vector stays zero).</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector)
    {
        var result = vector.ToArray();
        float norm = TensorPrimitives.Norm(result);
        if (norm > 0)
            TensorPrimitives.Divide(result, norm, result);
        return result;
    }
}
