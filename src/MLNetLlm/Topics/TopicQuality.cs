namespace MLNetLlm.Topics;

/// <summary>Topic coherence and diversity of a set of topics' top words, over a corpus.</summary>
public static class TopicQuality
{
    /// <summary>
    /// Mean NPMI coherence (Bouma 2009; Röder et al. 2015's C_NPMI with document co-occurrence): for each topic and each
    /// pair of its first <paramref name="topWords"/> words, <c>NPMI = ln(P(a, b) / (P(a) P(b))) / −ln P(a, b)</c>, where
    /// <c>P</c> is the share of documents containing the word(s); −1 when a pair never co-occurs. The mean over pairs,
    /// then over topics, from −1 to 1. Documents are split into words as the topic words are (lowercase letter runs).
    /// Topics with fewer than two words are skipped.
    /// </summary>
    /// <param name="topics">Each topic's words, best first (leave the outlier topic out).</param>
    /// <param name="documents">The corpus.</param>
    /// <param name="topWords">How many words of each topic count. Default 10.</param>
    /// <returns>The mean NPMI; NaN when no topic has two words.</returns>
    public static double Coherence(IReadOnlyList<IReadOnlyList<string>> topics, IReadOnlyList<string> documents, int topWords = 10)
    {
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentNullException.ThrowIfNull(documents);
        if (documents.Count == 0)
            throw new ArgumentException("Coherence needs at least one document.", nameof(documents));
        var wanted = topics.SelectMany(t => t.Take(topWords)).ToHashSet(StringComparer.Ordinal);
        var containing = wanted.ToDictionary(w => w, _ => new HashSet<int>(), StringComparer.Ordinal);
        for (int d = 0; d < documents.Count; d++)
            foreach (var word in TopicWordTokenizer.Words(documents[d]))
                if (containing.TryGetValue(word, out var set))
                    set.Add(d);
        double n = documents.Count, total = 0;
        int counted = 0;
        foreach (var topic in topics)
        {
            var words = topic.Take(topWords).ToArray();
            if (words.Length < 2)
                continue;
            double sum = 0;
            int pairs = 0;
            for (int i = 0; i < words.Length; i++)
                for (int j = i + 1; j < words.Length; j++, pairs++)
                {
                    var (a, b) = (containing[words[i]], containing[words[j]]);
                    double joint = (a.Count < b.Count ? a.Count(b.Contains) : b.Count(a.Contains)) / n;
                    sum += joint == 0 ? -1 : joint == 1 ? 1 : Math.Log(joint / (a.Count / n * (b.Count / n))) / -Math.Log(joint);
                }
            total += sum / pairs;
            counted++;
        }
        return counted == 0 ? double.NaN : total / counted;
    }

    /// <summary>
    /// Topic diversity (Dieng et al. 2020): the number of distinct words among all topics' first <paramref name="topWords"/>
    /// words, divided by <c>topWords × topics</c>; 1 when no word is shared. NaN for no topics.
    /// </summary>
    public static double Diversity(IReadOnlyList<IReadOnlyList<string>> topics, int topWords = 10)
    {
        ArgumentNullException.ThrowIfNull(topics);
        return topics.Count == 0 ? double.NaN
            : topics.SelectMany(t => t.Take(topWords)).Distinct(StringComparer.Ordinal).Count() / (double)(topWords * topics.Count);
    }
}
