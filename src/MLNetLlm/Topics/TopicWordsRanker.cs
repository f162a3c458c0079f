namespace MLNetLlm.Topics;

/// <summary>How a topic's words are chosen among its c-TF-IDF words.</summary>
public enum TopicRepresentation
{
    /// <summary>The words of highest c-TF-IDF weight (BERTopic's default).</summary>
    ClassTfidf,

    /// <summary>
    /// KeyBERT-inspired (BERTopic's <c>KeyBERTInspired</c>): among the topic's
    /// <see cref="TopicModelOptions.KeyBertCandidateWords"/> best c-TF-IDF words, those whose word embeddings are most
    /// cosine-similar to the topic's embedding, the mean of its representative documents' L2-normalised embeddings (the
    /// centroid when it keeps none). The word's weight is that cosine. Needs <see cref="TopicModelOptions.WordEmbedder"/>.
    /// </summary>
    KeyBertInspired,
}

/// <summary>
/// Ranks each topic's words by c-TF-IDF (<see cref="ClassTfidf"/>); KeyBERT-inspired, re-ranks the best candidates by
/// the cosine of their word embeddings to the topic's embedding; with diversity on, chooses among the candidates by MMR
/// over word embeddings (relevance = the same cosine).
/// </summary>
internal static class TopicWordsRanker
{
    /// <summary>MMR alone chooses among this many of the best c-TF-IDF words (as BERTopic: at least 30).</summary>
    private const int MinimumCandidates = 30;

    /// <exception cref="ArgumentException">No topic has any word.</exception>
    public static void Rank(List<TopicState> topics, TopicWordsSettings settings, Func<IReadOnlyList<string>, float[][]>? wordEmbedder)
    {
        var weights = ClassTfidf.Weights(topics.Select(t => (IReadOnlyDictionary<string, int>)t.WordCounts).ToList(), settings.Weighting);
        bool keyBert = settings.Representation == TopicRepresentation.KeyBertInspired && wordEmbedder is not null;
        for (int c = 0; c < topics.Count; c++)
        {
            if (!keyBert && (settings.Diversity <= 0 || wordEmbedder is null))
            {
                topics[c].Words = ClassTfidf.Ranked(weights[c]).Take(settings.TopWords).Select(w => new TopicWord(w.Key, w.Value)).ToList();
                continue;
            }
            int candidateCount = keyBert ? settings.KeyBertCandidateWords : Math.Max(settings.TopWords, MinimumCandidates);
            // BERTopic's KeyBERTInspired drops candidates of weight 0 or less (BM25's idf can be negative).
            var candidates = ClassTfidf.Ranked(weights[c]).Where(w => !keyBert || w.Value > 0).Take(candidateCount).ToArray();
            if (candidates.Length == 0)
            {
                topics[c].Words = [];
                continue;
            }
            var vectors = wordEmbedder!(candidates.Select(w => w.Key).ToArray());
            if (vectors.Length != candidates.Length)
                throw new InvalidOperationException($"The word embedder returned {vectors.Length} vectors for {candidates.Length} words.");
            var topicEmbedding = keyBert ? KeyBertTopicEmbedding(topics[c]) : topics[c].Centroid();
            if (vectors.Any(v => v.Length != topicEmbedding.Length))
                throw new InvalidOperationException($"The word embedder must return vectors of {topicEmbedding.Length} values, the size of the document embeddings.");
            var relevance = vectors.Select(v => MaximalMarginalRelevance.Cosine(v, topicEmbedding)).ToArray();
            var chosen = settings.Diversity > 0
                ? MaximalMarginalRelevance.Select(relevance, vectors, settings.TopWords, settings.Diversity)
                : Enumerable.Range(0, candidates.Length).OrderByDescending(i => relevance[i]).ThenBy(i => i).Take(settings.TopWords).ToArray();
            topics[c].Words = chosen.Select(i => new TopicWord(candidates[i].Key, keyBert ? relevance[i] : candidates[i].Value)).ToList();
        }
    }

    /// <summary>The mean of the representative documents' normalised embeddings (not normalised: cosine ignores length).</summary>
    internal static float[] KeyBertTopicEmbedding(TopicState topic)
    {
        if (topic.Representatives.Count == 0)
            return topic.Centroid();
        var mean = new float[topic.EmbeddingSum.Length];
        foreach (var representative in topic.Representatives)
            System.Numerics.Tensors.TensorPrimitives.Add(mean, representative.Embedding, mean);
        System.Numerics.Tensors.TensorPrimitives.Divide(mean, topic.Representatives.Count, mean);
        return mean;
    }
}

/// <summary>What ranking topic words needs of the options (saved with the model, so merging topics ranks them alike).</summary>
/// <param name="TopWords">Words kept per topic.</param>
/// <param name="Diversity">MMR λ, 0 for none.</param>
/// <param name="Representation">Plain c-TF-IDF or KeyBERT-inspired.</param>
/// <param name="KeyBertCandidateWords">KeyBERT-inspired: the c-TF-IDF candidates re-ranked.</param>
/// <param name="Weighting">The c-TF-IDF variant.</param>
internal readonly record struct TopicWordsSettings(int TopWords, float Diversity, TopicRepresentation Representation,
    int KeyBertCandidateWords, ClassTfidfWeighting Weighting);
