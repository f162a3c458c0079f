namespace MLNetLlm.Topics;

/// <summary>One row of a topic model's topic table.</summary>
/// <param name="Id">The topic id: 0 is the largest topic, then by size; −1 the outlier topic of HDBSCAN.</param>
/// <param name="Size">How many training documents it holds.</param>
/// <param name="Words">Its top words with their c-TF-IDF weights, in order (MMR order when diversity is on).</param>
/// <param name="RepresentativeDocuments">Its training documents nearest its centroid, nearest first.</param>
public sealed record TopicInfo(int Id, int Size, IReadOnlyList<TopicWord> Words, IReadOnlyList<string> RepresentativeDocuments)
{
    /// <summary>The words alone, joined by <c>_</c> as BERTopic names topics (<c>3_space_nasa_orbit</c>, first four words).</summary>
    public string Name => $"{Id}_{string.Join("_", Words.Take(4).Select(w => w.Word))}";
}

/// <summary>A topic word and its weight.</summary>
/// <param name="Word">The word, lowercase.</param>
/// <param name="Weight">Its c-TF-IDF weight in the topic, such as <c>tf(t, c) · ln(1 + A / f(t))</c>; for KeyBERT-inspired
/// words, the cosine of the word's embedding to the topic's (see <see cref="TopicModelTransformer"/>).</param>
public readonly record struct TopicWord(string Word, double Weight);

/// <summary>A topic found near a query, with the cosine similarity of the query embedding to the topic's centroid.</summary>
/// <param name="Topic">The topic.</param>
/// <param name="Similarity">Cosine similarity, −1 to 1.</param>
public readonly record struct TopicMatch(TopicInfo Topic, float Similarity);
