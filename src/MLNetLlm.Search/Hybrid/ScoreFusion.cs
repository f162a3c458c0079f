using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>
/// Score fusion by convex combination (Bruch, Gai and Ingber, 2023): each ranked list's scores are min-max normalised
/// to [0, 1] within the list, a passage a list did not return gets 0 from it, and the fused score is the weighted sum.
/// Unlike reciprocal-rank fusion it keeps how far apart the scores are, so a passage far ahead in one list stays ahead;
/// the weights must be chosen on held-out queries (scales differ between retrievers and corpora).
/// </summary>
public static class ScoreFusion
{
    /// <summary>
    /// Fuses ranked lists (each best first) into one, best first; a passage's fields come from the first list that
    /// holds it, its score is its fused score. Ties keep the order in which passages were first seen.
    /// </summary>
    /// <param name="rankings">The ranked lists, each with its retriever's scores (higher is better).</param>
    /// <param name="weights">One weight per list (finite, at least 0); null weighs every list 1.</param>
    /// <exception cref="ArgumentException">The weights are not one per list, or one is negative or not finite, or a score is not finite.</exception>
    public static IReadOnlyList<RetrievedPassage> Fuse(IEnumerable<IReadOnlyList<RetrievedPassage>> rankings, IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        var lists = rankings.ToArray();
        if (weights is not null && (weights.Count != lists.Length || weights.Any(w => !(w >= 0) || !double.IsFinite(w))))
            throw new ArgumentException($"Give one finite, non-negative weight per ranking: {weights.Count} weights for {lists.Length} rankings.", nameof(weights));
        var fused = new Dictionary<string, (RetrievedPassage Passage, double Score, int Seen)>(StringComparer.Ordinal);
        for (var list = 0; list < lists.Length; list++)
        {
            if (lists[list].Count == 0)
                continue;
            var scores = lists[list].Select(p => p.Score).ToArray();
            if (scores.Any(s => !double.IsFinite(s)))
                throw new ArgumentException($"Ranking {list} holds a score that is not finite.", nameof(rankings));
            var (low, high) = (scores.Min(), scores.Max());
            for (var rank = 0; rank < scores.Length; rank++)
            {
                var passage = lists[list][rank];
                // A list whose scores are all equal gives each passage the full weight: nothing tells them apart.
                var add = (weights?[list] ?? 1.0) * (high > low ? (scores[rank] - low) / (high - low) : 1.0);
                fused[passage.Id] = fused.TryGetValue(passage.Id, out var known)
                    ? known with { Score = known.Score + add }
                    : (passage, add, fused.Count);
            }
        }
        return [.. fused.Values.OrderByDescending(f => f.Score).ThenBy(f => f.Seen).Select(f => f.Passage with { Score = f.Score })];
    }
}
