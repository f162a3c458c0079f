namespace MLNetLlm.Topics;

/// <summary>
/// Class-based TF-IDF (c-TF-IDF, Grootendorst 2022, as BERTopic's <c>ClassTfidfTransformer</c>): all documents of a
/// topic form one class, and <c>W(t, c) = tf(t, c) · idf(t)</c>, where <c>tf(t, c)</c> is the count of word t in class c
/// divided by the number of words in c (L1-normalised), <c>f(t)</c> the count of t over all classes and <c>A</c> the
/// average number of words per class, rounded down. The plain weighting is <c>idf(t) = ln(1 + A / f(t))</c>.
/// <see cref="ClassTfidfWeighting.Bm25Weighting"/> uses <c>idf(t) = ln(1 + (A − f(t) + 0.5) / (f(t) + 0.5))</c> (which is
/// negative for words more frequent than about A); <see cref="ClassTfidfWeighting.ReduceFrequentWords"/> takes the square
/// root of the L1-normalised <c>tf</c> before the idf, as BERTopic's <c>bm25_weighting</c> and <c>reduce_frequent_words</c>.
/// </summary>
internal static class ClassTfidf
{
    /// <summary>The weights of every word of every class, as one dictionary per class.</summary>
    /// <exception cref="ArgumentException">No class holds any word.</exception>
    public static Dictionary<string, double>[] Weights(IReadOnlyList<IReadOnlyDictionary<string, int>> classCounts,
        ClassTfidfWeighting weighting = default)
    {
        var idf = Idf(classCounts, weighting);
        return classCounts.Select(counts => Vector(counts, idf, weighting)).ToArray();
    }

    /// <summary><c>idf(t)</c> of every word found in any class.</summary>
    /// <exception cref="ArgumentException">No class holds any word.</exception>
    public static Dictionary<string, double> Idf(IReadOnlyList<IReadOnlyDictionary<string, int>> classCounts, ClassTfidfWeighting weighting)
    {
        var frequency = new Dictionary<string, long>(StringComparer.Ordinal);
        long total = 0;
        foreach (var counts in classCounts)
            foreach (var (word, count) in counts)
            {
                total += count;
                frequency[word] = frequency.GetValueOrDefault(word) + count;
            }
        if (frequency.Count == 0)
            throw new ArgumentException("c-TF-IDF has no words: every document is empty or holds only stop words or rare words.");
        double average = Math.Floor(total / (double)classCounts.Count);
        return frequency.ToDictionary(f => f.Key, f => weighting.Bm25Weighting
            ? Math.Log(1 + (average - f.Value + 0.5) / (f.Value + 0.5))
            : Math.Log(1 + average / f.Value), StringComparer.Ordinal);
    }

    /// <summary>
    /// The c-TF-IDF vector of one bag of words (a class, or one document as BERTopic's outlier reduction weighs it)
    /// under a fitted <paramref name="idf"/>; words the idf does not know are left out. Empty for no known word.
    /// </summary>
    public static Dictionary<string, double> Vector(IReadOnlyDictionary<string, int> counts, IReadOnlyDictionary<string, double> idf,
        ClassTfidfWeighting weighting)
    {
        long total = 0;
        foreach (var (word, count) in counts)
            if (idf.ContainsKey(word))
                total += count;
        var vector = new Dictionary<string, double>(counts.Count, StringComparer.Ordinal);
        if (total == 0)
            return vector;
        foreach (var (word, count) in counts)
            if (idf.TryGetValue(word, out var weight))
            {
                double tf = count / (double)total;
                vector[word] = (weighting.ReduceFrequentWords ? Math.Sqrt(tf) : tf) * weight;
            }
        return vector;
    }

    /// <summary>Cosine similarity of two sparse vectors; 0 when either is zero.</summary>
    public static double Cosine(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b)
    {
        if (a.Count > b.Count)
            (a, b) = (b, a);
        double dot = 0;
        foreach (var (word, weight) in a)
            if (b.TryGetValue(word, out var other))
                dot += weight * other;
        double norms = Math.Sqrt(a.Values.Sum(v => v * v)) * Math.Sqrt(b.Values.Sum(v => v * v));
        return norms == 0 ? 0 : dot / norms;
    }

    /// <summary>A class's words by weight, highest first (ties by word, ordinal).</summary>
    public static IEnumerable<KeyValuePair<string, double>> Ranked(Dictionary<string, double> weights) =>
        weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal);
}

/// <summary>The c-TF-IDF variant (see <see cref="ClassTfidf"/>); the default is BERTopic's default, plain c-TF-IDF.</summary>
/// <param name="Bm25Weighting">The BM25-inspired idf.</param>
/// <param name="ReduceFrequentWords">The square root of the normalised term frequency.</param>
internal readonly record struct ClassTfidfWeighting(bool Bm25Weighting, bool ReduceFrequentWords);
