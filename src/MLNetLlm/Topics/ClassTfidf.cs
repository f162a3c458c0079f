namespace MLNetLlm.Topics;

/// <summary>
/// Class-based TF-IDF (c-TF-IDF, Grootendorst 2022, as BERTopic's <c>ClassTfidfTransformer</c>): all documents of a
/// topic form one class, and
/// <c>W(t, c) = tf(t, c) · ln(1 + A / f(t))</c>, where <c>tf(t, c)</c> is the count of word t in class c divided by the
/// number of words in c (L1-normalised), <c>f(t)</c> the count of t over all classes, and <c>A</c> the average number of
/// words per class, rounded down.
/// </summary>
internal static class ClassTfidf
{
    /// <summary>The weights of every word of every class, as one dictionary per class.</summary>
    /// <exception cref="ArgumentException">No class holds any word.</exception>
    public static Dictionary<string, double>[] Weights(IReadOnlyList<IReadOnlyDictionary<string, int>> classCounts)
    {
        var frequency = new Dictionary<string, long>(StringComparer.Ordinal);
        var totals = new long[classCounts.Count];
        for (int c = 0; c < classCounts.Count; c++)
            foreach (var (word, count) in classCounts[c])
            {
                totals[c] += count;
                frequency[word] = frequency.GetValueOrDefault(word) + count;
            }
        if (frequency.Count == 0)
            throw new ArgumentException("c-TF-IDF has no words: every document is empty or holds only stop words or rare words.");
        double average = Math.Floor(totals.Sum() / (double)classCounts.Count);
        var weights = new Dictionary<string, double>[classCounts.Count];
        for (int c = 0; c < classCounts.Count; c++)
        {
            weights[c] = new Dictionary<string, double>(classCounts[c].Count, StringComparer.Ordinal);
            foreach (var (word, count) in classCounts[c])
                weights[c][word] = count / (double)totals[c] * Math.Log(1 + average / frequency[word]);
        }
        return weights;
    }

    /// <summary>A class's words by weight, highest first (ties by word, ordinal).</summary>
    public static IEnumerable<KeyValuePair<string, double>> Ranked(Dictionary<string, double> weights) =>
        weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal);
}
