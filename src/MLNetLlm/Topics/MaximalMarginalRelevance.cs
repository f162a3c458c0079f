using System.Numerics.Tensors;

namespace MLNetLlm.Topics;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein 1998, BERTopic's <c>MaximalMarginalRelevance</c>): picks words
/// one at a time, each maximising <c>(1 − λ) · relevance(word) − λ · max cos(word, chosen)</c>; the first is the most
/// relevant word. The topic model's relevance is <c>cos(word embedding, topic centroid)</c>.
/// </summary>
internal static class MaximalMarginalRelevance
{
    /// <summary>The indices of <paramref name="count"/> candidates, in the order chosen.</summary>
    public static int[] Select(float[] relevance, IReadOnlyList<float[]> candidates, int count, float diversity)
    {
        count = Math.Min(count, candidates.Count);
        var chosen = new List<int>(count);
        var maxSimilarity = new float[candidates.Count];
        Array.Fill(maxSimilarity, float.NegativeInfinity);
        while (chosen.Count < count)
        {
            int best = -1;
            float bestScore = float.NegativeInfinity;
            for (int i = 0; i < candidates.Count; i++)
            {
                if (chosen.Contains(i))
                    continue;
                float redundancy = chosen.Count == 0 ? 0 : maxSimilarity[i];
                float score = (1 - diversity) * relevance[i] - diversity * redundancy;
                if (best < 0 || score > bestScore)
                    (best, bestScore) = (i, score);
            }
            chosen.Add(best);
            for (int i = 0; i < candidates.Count; i++)
                maxSimilarity[i] = Math.Max(maxSimilarity[i], Cosine(candidates[i], candidates[best]));
        }
        return [.. chosen];
    }

    public static float Cosine(float[] a, float[] b)
    {
        float norms = TensorPrimitives.Norm(a) * TensorPrimitives.Norm(b);
        return norms == 0 ? 0 : TensorPrimitives.Dot(a, b) / norms;
    }
}
