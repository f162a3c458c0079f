using MLNetLlm.Retrieval;
using MLNetLlm.Search;

namespace MLNetLlm.Search.Tests;

public class RankingMetricsTests
{
    private static RetrievedPassage P(string id) => new(id, id, 1, id, 0, id.Length);

    [Fact]
    public void RanksGiveRecallReciprocalRankAndNdcgCutAtK()
    {
        // Ranks 1, 3, 11 (beyond k = 10) and not found.
        var metrics = RankingMetrics.FromRanks([1, 3, 11, 0], k: 10);

        Assert.Equal(0.25, metrics.RecallAt1);
        Assert.Equal(0.5, metrics.RecallAtK);
        Assert.Equal((1 + 1 / 3.0) / 4, metrics.MeanReciprocalRankAtK, 12);
        Assert.Equal((1 + 1 / Math.Log2(4)) / 4, metrics.NdcgAtK, 12);
    }

    [Fact]
    public void ComputeFindsEachRelevantIdInItsRanking()
    {
        IReadOnlyList<RetrievedPassage>[] rankings = [[P("a"), P("b")], [P("b"), P("c")], [P("c")]];

        var metrics = RankingMetrics.Compute(rankings, ["b", "b", "z"], k: 2);

        Assert.Equal(2, RankingMetrics.RankOf(rankings[0], "b"));
        Assert.Equal(1 / 3.0, metrics.RecallAt1, 12);
        Assert.Equal(2 / 3.0, metrics.RecallAtK, 12);
        Assert.Equal(1.5 / 3, metrics.MeanReciprocalRankAtK, 12);
    }

    [Fact]
    public void BadInputIsRefusedWithTheReason()
    {
        Assert.Contains("no ranks", Assert.Throws<ArgumentException>(() => RankingMetrics.FromRanks([], 10)).Message);
        Assert.Contains("negative", Assert.Throws<ArgumentException>(() => RankingMetrics.FromRanks([1, -2], 10)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => RankingMetrics.FromRanks([1], 0));
        Assert.Contains("one relevant id per ranking", Assert.Throws<ArgumentException>(() => RankingMetrics.Compute([[P("a")]], ["a", "b"], 1)).Message);
    }
}
