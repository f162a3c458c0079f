using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Search.Tests;

public class ScoreFusionTests
{
    private static RetrievedPassage P(string id, double score) => new(id, id, score, id, 0, id.Length);

    [Fact]
    public void ScoresAreMinMaxNormalisedPerListAndSummedByWeight()
    {
        var keyword = new[] { P("a", 20), P("b", 10), P("c", 0) };
        var dense = new[] { P("b", 0.9), P("d", 0.8), P("a", 0.4) };

        var fused = ScoreFusion.Fuse([keyword, dense], [0.5, 0.5]);

        // a: 0.5·1 + 0.5·0 ; b: 0.5·0.5 + 0.5·1 ; d: 0.5·0.8 ; c: 0.
        Assert.Equal(["b", "a", "d", "c"], fused.Select(p => p.Id));
        Assert.Equal([0.75, 0.5, 0.4, 0], fused.Select(p => p.Score), (x, y) => Math.Abs(x - y) < 1e-12);
        Assert.Equal(["b", "d", "a", "c"], ScoreFusion.Fuse([keyword, dense], [0.1, 0.9]).Select(p => p.Id));
    }

    [Fact]
    public void AFarLeadSurvivesWhereRanksAloneWouldTie()
    {
        // "a" is far ahead of everything in the dense list; "b" is second in both. RRF only sees ranks and ties them.
        var keyword = new[] { P("b", 5.0), P("a", 4.9), P("c", 1) };
        var dense = new[] { P("a", 0.95), P("b", 0.30), P("c", 0.29) };

        Assert.Equal(ReciprocalRankFusion.Fuse([keyword, dense])[0].Score, ReciprocalRankFusion.Fuse([keyword, dense])[1].Score, 12);
        Assert.Equal("a", ScoreFusion.Fuse([keyword, dense])[0].Id);
    }

    [Fact]
    public void EqualScoresEmptyListsAndBadInput()
    {
        Assert.Equal(["x", "y"], ScoreFusion.Fuse([[P("x", 3), P("y", 3)], []]).Select(p => p.Id));
        Assert.Equal([1.0, 1.0], ScoreFusion.Fuse([[P("x", 3), P("y", 3)]]).Select(p => p.Score));
        Assert.Throws<ArgumentException>(() => ScoreFusion.Fuse([[P("x", 1)], [P("y", 1)]], [1]));
        Assert.Throws<ArgumentException>(() => ScoreFusion.Fuse([[P("x", 1)], [P("y", 1)]], [1, -0.5]));
        Assert.Contains("Ranking 1", Assert.Throws<ArgumentException>(() => ScoreFusion.Fuse([[P("x", 1)], [P("y", double.NaN)]])).Message);
    }

    [Fact]
    public async Task TheHybridRetrieverFusesByScoreWhenAsked()
    {
        (string Id, string Text)[] corpus = [("error", "Error XJ-442: the printer is out of paper."), ("dog", "A puppy chased the ball across the garden."), ("tax", "The senate passed the income tax bill.")];
        var embedder = SentenceEmbedders.MiniLmL6V2();
        using var keyword = Bm25Index.Build(corpus);
        using var dense = VectorIndex.Build(embedder, corpus);
        var byScore = new HybridRetriever([keyword, dense], new HybridOptions { Fusion = HybridFusion.ScoreCombination, Weights = [0.3, 0.7] });

        var expected = ScoreFusion.Fuse([keyword.Search("a young hound playing", 50), await dense.RetrieveAsync("a young hound playing", 50)], [0.3, 0.7]);
        var found = await byScore.RetrieveAsync("a young hound playing", 2);
        Assert.Equal(expected.Take(2).Select(p => (p.Id, p.Score)), found.Select(p => (p.Id, p.Score)));
        Assert.Equal("dog", found[0].Id);
        Assert.Equal("error", (await byScore.RetrieveAsync("XJ-442", 1)).Single().Id);
        Assert.Throws<ArgumentOutOfRangeException>(() => new HybridRetriever([keyword], new HybridOptions { Fusion = (HybridFusion)7 }));
    }
}
