using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>
/// Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): each passage scores the sum over the ranked lists of
/// 1 / (k + rank), rank counted from 1, so lists whose scores are not comparable (BM25, cosine) fuse on ranks alone.
/// Weighted fusion multiplies each list's terms by its weight, for when one retriever is known to be weaker.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The usual constant k = 60, which keeps the top of one list from dominating.</summary>
    public const int DefaultK = 60;

    /// <summary>
    /// Fuses ranked lists (each best first) into one, best first; a passage's fields come from the first list that
    /// holds it, its score is its fused score. Ties keep the order in which passages were first seen.
    /// </summary>
    /// <param name="rankings">The ranked lists.</param>
    /// <param name="k">The constant added to every rank. Default 60.</param>
    /// <param name="weights">One weight per list (finite, at least 0); null weighs every list 1.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    /// <exception cref="ArgumentException">The weights are not one per list, or one is negative or not finite.</exception>
    public static IReadOnlyList<RetrievedPassage> Fuse(IEnumerable<IReadOnlyList<RetrievedPassage>> rankings, int k = DefaultK,
        IReadOnlyList<double>? weights = null)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var lists = rankings.ToArray();
        if (weights is not null && (weights.Count != lists.Length || weights.Any(w => !(w >= 0) || !double.IsFinite(w))))
            throw new ArgumentException($"Give one finite, non-negative weight per ranking: {weights.Count} weights for {lists.Length} rankings.", nameof(weights));
        var fused = new Dictionary<string, (RetrievedPassage Passage, double Score, int Seen)>(StringComparer.Ordinal);
        for (var list = 0; list < lists.Length; list++)
            for (var rank = 0; rank < lists[list].Count; rank++)
            {
                var passage = lists[list][rank];
                var add = (weights?[list] ?? 1.0) / (k + rank + 1);
                fused[passage.Id] = fused.TryGetValue(passage.Id, out var known)
                    ? known with { Score = known.Score + add }
                    : (passage, add, fused.Count);
            }
        return [.. fused.Values.OrderByDescending(f => f.Score).ThenBy(f => f.Seen).Select(f => f.Passage with { Score = f.Score })];
    }
}
