using System.Numerics.Tensors;

namespace MLNetLlm.Topics;

/// <summary>
/// Merges topics down to a target count as BERTopic's <c>reduce_topics</c>: repeatedly the smallest topic (the outlier
/// topic −1 never takes part) joins the topic whose c-TF-IDF vector is most similar (cosine), then the words are
/// recomputed. Word counts, sizes and embedding sums add up; representatives are re-ranked by the new centroid.
/// </summary>
internal static class TopicMerger
{
    public static List<TopicState> Reduce(IReadOnlyList<TopicState> source, int target, int representatives, ClassTfidfWeighting weighting)
    {
        var topics = source.Select(Copy).ToList();
        while (topics.Count(t => !TopicBuilder.IsOutlier(t)) > target)
        {
            var regular = topics.Where(t => !TopicBuilder.IsOutlier(t)).ToList();
            var weights = ClassTfidf.Weights(regular.Select(t => (IReadOnlyDictionary<string, int>)t.WordCounts).ToList(), weighting);
            int smallest = Enumerable.Range(0, regular.Count).MinBy(i => (regular[i].Size, -regular[i].Id));
            int nearest = Enumerable.Range(0, regular.Count).Where(i => i != smallest)
                .MaxBy(i => ClassTfidf.Cosine(weights[smallest], weights[i]));
            var (from, into) = (regular[smallest], regular[nearest]);
            into.Clusters.AddRange(from.Clusters);
            into.Size += from.Size;
            TensorPrimitives.Add(into.EmbeddingSum, from.EmbeddingSum, into.EmbeddingSum);
            foreach (var (word, count) in from.WordCounts)
                into.WordCounts[word] = into.WordCounts.GetValueOrDefault(word) + count;
            var centroid = into.Centroid();
            into.Representatives = into.Representatives.Concat(from.Representatives)
                .OrderByDescending(r => TensorPrimitives.Dot(centroid, r.Embedding))
                .DistinctBy(r => r.Text).Take(representatives).ToList();
            topics.Remove(from);
            // Keep the ids meaning "by size" while merging, so the next smallest is found the same way.
            TopicBuilder.Renumber(topics);
        }
        return topics;
    }

    private static TopicState Copy(TopicState t) => new()
    {
        Id = t.Id,
        Clusters = [.. t.Clusters],
        Size = t.Size,
        EmbeddingSum = (float[])t.EmbeddingSum.Clone(),
        WordCounts = new(t.WordCounts, StringComparer.Ordinal),
        Representatives = [.. t.Representatives],
        Words = [.. t.Words],
    };
}
