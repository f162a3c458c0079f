namespace MLNetLlm.Topics;

/// <summary>
/// Ranks each topic's words by c-TF-IDF (<see cref="ClassTfidf"/>), then, when diversity is on and a word embedder is
/// given, chooses them by MMR over word embeddings (relevance = cosine of the word to the topic's centroid).
/// </summary>
internal static class TopicWordsRanker
{
    /// <summary>MMR chooses among this many of the best c-TF-IDF words (as BERTopic: at least 30).</summary>
    private const int MinimumCandidates = 30;

    /// <exception cref="ArgumentException">No topic has any word.</exception>
    public static void Rank(List<TopicState> topics, int topWords, float diversity, Func<IReadOnlyList<string>, float[][]>? wordEmbedder)
    {
        var weights = ClassTfidf.Weights(topics.Select(t => (IReadOnlyDictionary<string, int>)t.WordCounts).ToList());
        for (int c = 0; c < topics.Count; c++)
        {
            if (diversity <= 0 || wordEmbedder is null)
            {
                topics[c].Words = ClassTfidf.Ranked(weights[c]).Take(topWords).Select(w => new TopicWord(w.Key, w.Value)).ToList();
                continue;
            }
            var candidates = ClassTfidf.Ranked(weights[c]).Take(Math.Max(topWords, MinimumCandidates)).ToArray();
            if (candidates.Length == 0)
            {
                topics[c].Words = [];
                continue;
            }
            var vectors = wordEmbedder(candidates.Select(w => w.Key).ToArray());
            if (vectors.Length != candidates.Length)
                throw new InvalidOperationException($"The word embedder returned {vectors.Length} vectors for {candidates.Length} words.");
            var centroid = topics[c].Centroid();
            if (vectors.Any(v => v.Length != centroid.Length))
                throw new InvalidOperationException($"The word embedder must return vectors of {centroid.Length} values, the size of the document embeddings.");
            var relevance = vectors.Select(v => MaximalMarginalRelevance.Cosine(v, centroid)).ToArray();
            topics[c].Words = MaximalMarginalRelevance.Select(relevance, vectors, topWords, diversity)
                .Select(i => new TopicWord(candidates[i].Key, candidates[i].Value)).ToList();
        }
    }
}
