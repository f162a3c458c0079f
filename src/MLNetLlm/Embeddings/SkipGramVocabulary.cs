namespace MLNetLlm.Embeddings;

/// <summary>
/// The vocabulary of a skip-gram corpus: words seen at least <c>MinCount</c> times, most frequent first (ties in
/// ordinal order, so the indices are deterministic), with their counts.
/// </summary>
internal sealed class SkipGramVocabulary
{
    private readonly Dictionary<string, int> _index;

    private SkipGramVocabulary(string[] words, long[] counts)
    {
        Words = words;
        Counts = counts;
        _index = new Dictionary<string, int>(words.Length, StringComparer.Ordinal);
        for (int i = 0; i < words.Length; i++)
            _index[words[i]] = i;
    }

    public string[] Words { get; }
    public long[] Counts { get; }
    public int Count => Words.Length;

    /// <summary>Counts the words of <paramref name="documents"/> and keeps those seen at least <paramref name="minCount"/> times.</summary>
    public static SkipGramVocabulary FromDocuments(IEnumerable<IEnumerable<string>> documents, int minCount)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var document in documents)
            foreach (var word in document)
                counts[word] = counts.GetValueOrDefault(word) + 1;
        var kept = counts.Where(p => p.Value >= minCount)
            .OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).ToArray();
        return new SkipGramVocabulary(kept.Select(p => p.Key).ToArray(), kept.Select(p => p.Value).ToArray());
    }

    /// <summary>The indices of the document's words in the vocabulary; words outside it are dropped (word2vec does the same).</summary>
    public int[] Encode(IEnumerable<string> words)
    {
        var indices = new List<int>();
        foreach (var word in words)
            if (_index.TryGetValue(word, out int index))
                indices.Add(index);
        return [.. indices];
    }
}
