using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>
/// The quality of ranked result lists when each query has one relevant passage: the share found first
/// (recall@1), the share found in the top k (recall@k), the mean reciprocal rank cut at k (MRR@k) and nDCG@k, which
/// with one relevant passage is the mean of 1 / log2(rank + 1) over the queries that find it in the top k.
/// </summary>
/// <param name="Queries">The number of queries measured.</param>
/// <param name="K">The cut-off of recall@k, MRR@k and nDCG@k.</param>
/// <param name="RecallAt1">The share of queries whose relevant passage ranks first.</param>
/// <param name="RecallAtK">The share of queries whose relevant passage ranks in the top <paramref name="K"/>.</param>
/// <param name="MeanReciprocalRankAtK">The mean of 1 / rank, 0 beyond <paramref name="K"/>.</param>
/// <param name="NdcgAtK">The mean of 1 / log2(rank + 1), 0 beyond <paramref name="K"/>.</param>
public sealed record RankingMetrics(int Queries, int K, double RecallAt1, double RecallAtK, double MeanReciprocalRankAtK, double NdcgAtK)
{
    /// <summary>The 1-based rank of <paramref name="relevantId"/> in <paramref name="ranking"/>, or 0 when it is absent.</summary>
    public static int RankOf(IReadOnlyList<RetrievedPassage> ranking, string relevantId)
    {
        ArgumentNullException.ThrowIfNull(ranking);
        for (var r = 0; r < ranking.Count; r++)
            if (string.Equals(ranking[r].Id, relevantId, StringComparison.Ordinal))
                return r + 1;
        return 0;
    }

    /// <summary>The metrics of the relevant passages' ranks (1-based, 0 when a query did not find it).</summary>
    /// <exception cref="ArgumentException">No ranks, or a negative one.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public static RankingMetrics FromRanks(IReadOnlyList<int> ranks, int k)
    {
        ArgumentNullException.ThrowIfNull(ranks);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        if (ranks.Count == 0)
            throw new ArgumentException("There are no ranks to measure: give one rank per query.", nameof(ranks));
        if (ranks.Any(r => r < 0))
            throw new ArgumentException("A rank is negative: ranks count from 1, and 0 means the relevant passage was not found.", nameof(ranks));
        bool InTop(int r) => r > 0 && r <= k;
        return new RankingMetrics(ranks.Count, k,
            ranks.Count(r => r == 1) / (double)ranks.Count,
            ranks.Count(InTop) / (double)ranks.Count,
            ranks.Average(r => InTop(r) ? 1.0 / r : 0),
            ranks.Average(r => InTop(r) ? 1 / Math.Log2(r + 1) : 0));
    }

    /// <summary>The metrics of ranked lists, one per query, each with its one relevant passage id.</summary>
    /// <exception cref="ArgumentException">The lists and ids differ in number, or there are none.</exception>
    public static RankingMetrics Compute(IReadOnlyList<IReadOnlyList<RetrievedPassage>> rankings, IReadOnlyList<string> relevantIds, int k)
    {
        ArgumentNullException.ThrowIfNull(rankings);
        ArgumentNullException.ThrowIfNull(relevantIds);
        if (rankings.Count != relevantIds.Count)
            throw new ArgumentException($"Give one relevant id per ranking: {relevantIds.Count} ids for {rankings.Count} rankings.", nameof(relevantIds));
        return FromRanks([.. rankings.Select((ranking, i) => RankOf(ranking, relevantIds[i]))], k);
    }
}
