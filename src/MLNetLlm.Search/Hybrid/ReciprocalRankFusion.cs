using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>
/// Reciprocal-rank fusion (Cormack, Clarke and Büttcher, 2009): each passage scores the sum over the ranked lists of
/// 1 / (k + rank), rank counted from 1, so lists whose scores are not comparable (BM25, cosine) fuse on ranks alone.
/// </summary>
public static class ReciprocalRankFusion
{
    /// <summary>The usual constant k = 60, which keeps the top of one list from dominating.</summary>
    public const int DefaultK = 60;

    /// <summary>
    /// Fuses ranked lists (each best first) into one, best first; a passage's fields come from the first list that
    /// holds it, its score is its fused score. Ties keep the order in which passages were first seen.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    public static IReadOnlyList<RetrievedPassage> Fuse(IEnumerable<IReadOnlyList<RetrievedPassage>> rankings, int k = DefaultK)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        var fused = new Dictionary<string, (RetrievedPassage Passage, double Score, int Seen)>(StringComparer.Ordinal);
        foreach (var ranking in rankings)
            for (var rank = 0; rank < ranking.Count; rank++)
            {
                var passage = ranking[rank];
                var add = 1.0 / (k + rank + 1);
                fused[passage.Id] = fused.TryGetValue(passage.Id, out var known)
                    ? known with { Score = known.Score + add }
                    : (passage, add, fused.Count);
            }
        return [.. fused.Values.OrderByDescending(f => f.Score).ThenBy(f => f.Seen).Select(f => f.Passage with { Score = f.Score })];
    }
}
