using System.Numerics.Tensors;

namespace MLNetLlm.Search;

/// <summary>
/// Maximal marginal relevance (Carbonell and Goldstein, 1998): picks passages one by one, each maximising
/// λ · cos(query, passage) − (1 − λ) · max cos(passage, already picked), so near-duplicates give way to passages that
/// add something.
/// </summary>
public static class MaximalMarginalRelevance
{
    /// <summary>The indices of <paramref name="count"/> candidates in the order MMR picks them.</summary>
    /// <param name="query">The query's vector.</param>
    /// <param name="candidates">The candidates' vectors, of the query's length.</param>
    /// <param name="count">How many to pick (clamped to the candidates).</param>
    /// <param name="lambda">1 ranks by relevance alone, 0 by novelty alone. Default 0.5.</param>
    /// <exception cref="ArgumentException">A vector's length differs from the query's.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="lambda"/> is outside 0 to 1, or <paramref name="count"/> is negative.</exception>
    public static int[] Select(float[] query, IReadOnlyList<float[]> candidates, int count, double lambda = 0.5)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (!(lambda >= 0 && lambda <= 1))
            throw new ArgumentOutOfRangeException(nameof(lambda), lambda, "λ must lie between 0 and 1.");
        for (var i = 0; i < candidates.Count; i++)
            if (candidates[i].Length != query.Length)
                throw new ArgumentException($"Candidate {i} has {candidates[i].Length} dimensions, the query {query.Length}.", nameof(candidates));
        var relevance = candidates.Select(c => (double)TensorPrimitives.CosineSimilarity(query, c)).ToArray();
        var redundancy = Enumerable.Repeat(double.NegativeInfinity, candidates.Count).ToArray();
        var picked = new List<int>();
        var free = new bool[candidates.Count];
        Array.Fill(free, true);
        while (picked.Count < Math.Min(count, candidates.Count))
        {
            int best = -1;
            var bestScore = double.NegativeInfinity;
            for (var i = 0; i < candidates.Count; i++)
            {
                if (!free[i])
                    continue;
                var score = lambda * relevance[i] - (1 - lambda) * (picked.Count == 0 ? 0 : redundancy[i]);
                if (score > bestScore)
                    (best, bestScore) = (i, score);
            }
            picked.Add(best);
            free[best] = false;
            for (var i = 0; i < candidates.Count; i++)
                if (free[i])
                    redundancy[i] = Math.Max(redundancy[i], TensorPrimitives.CosineSimilarity(candidates[i], candidates[best]));
        }
        return [.. picked];
    }
}
