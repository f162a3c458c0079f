namespace MLNetLlm.Instructions;

/// <summary>
/// Scores of a generated answer against a reference, on normalised words (lower case, split on anything that is not a
/// letter or digit): exact match, token F1 (SQuAD's bag-of-words overlap) and ROUGE-L (the F1 of the longest common
/// subsequence, as Lin 2004 with β = 1). Each is in [0, 1]; two empty texts match (1), one empty text scores 0.
/// </summary>
public static class AnswerMetrics
{
    /// <summary>1 when both texts have the same normalised words in the same order, else 0.</summary>
    public static double ExactMatch(string candidate, string reference) =>
        Words(candidate).SequenceEqual(Words(reference)) ? 1 : 0;

    /// <summary>Harmonic mean of the precision and recall of the candidate's words against the reference's, counting
    /// each word as often as it occurs in both (a bag of words).</summary>
    public static double TokenF1(string candidate, string reference)
    {
        var c = Words(candidate);
        var r = Words(reference);
        if (c.Count == 0 || r.Count == 0) return c.Count == r.Count ? 1 : 0;
        var remaining = r.GroupBy(w => w).ToDictionary(g => g.Key, g => g.Count());
        int common = 0;
        foreach (var word in c)
        {
            if (remaining.TryGetValue(word, out int left) && left > 0)
            {
                remaining[word] = left - 1;
                common++;
            }
        }
        return F1(common, c.Count, r.Count);
    }

    /// <summary>ROUGE-L: the F1 of precision LCS/|candidate| and recall LCS/|reference|, LCS the length of the longest
    /// common subsequence of the two word sequences.</summary>
    public static double RougeL(string candidate, string reference)
    {
        var c = Words(candidate);
        var r = Words(reference);
        if (c.Count == 0 || r.Count == 0) return c.Count == r.Count ? 1 : 0;
        return F1(LongestCommonSubsequence(c, r), c.Count, r.Count);
    }

    /// <summary>The normalised words of <paramref name="text"/>: lower case, maximal runs of letters and digits.</summary>
    public static IReadOnlyList<string> Words(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = new List<string>();
        int start = -1;
        for (int i = 0; i <= text.Length; i++)
        {
            bool inWord = i < text.Length && char.IsLetterOrDigit(text[i]);
            if (inWord && start < 0) start = i;
            else if (!inWord && start >= 0)
            {
                words.Add(text[start..i].ToLowerInvariant());
                start = -1;
            }
        }
        return words;
    }

    private static double F1(int common, int candidateCount, int referenceCount)
    {
        if (common == 0) return 0;
        double precision = (double)common / candidateCount, recall = (double)common / referenceCount;
        return 2 * precision * recall / (precision + recall);
    }

    // Two rows of the dynamic programme: O(|a|·|b|) time, O(|b|) memory.
    private static int LongestCommonSubsequence(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        var previous = new int[b.Count + 1];
        var current = new int[b.Count + 1];
        foreach (var word in a)
        {
            for (int j = 1; j <= b.Count; j++)
                current[j] = word == b[j - 1] ? previous[j - 1] + 1 : Math.Max(previous[j], current[j - 1]);
            (previous, current) = (current, previous);
        }
        return previous[b.Count];
    }
}
