using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;
using MLNetLlm.Search;

namespace MLNetLlm.Search.Tests;

public class KeywordAndHybridTests
{
    private static readonly (string Id, string Text)[] Corpus =
    [
        ("engine", "The engine of the car was running hot after the long drive."),
        ("recipe", "Whisk the eggs and fold them gently into the flour."),
        ("error", "Error code XJ-442 means the disk controller failed."),
        ("river", "The river flooded the valley after days of rain."),
        ("dog", "A puppy chased the ball across the garden."),
    ];

    [Theory]
    [InlineData(KeywordAnalyzer.English)]
    [InlineData(KeywordAnalyzer.Standard)]
    public void Bm25RanksTheDocumentWithTheQueryTermsFirst(KeywordAnalyzer analyzer)
    {
        using var index = Bm25Index.Build(Corpus, new Bm25Options { Analyzer = analyzer });

        var hits = index.Search("what does error XJ-442 mean", 3);

        Assert.Equal("error", hits[0].Id);
        Assert.Equal(Corpus[2].Text, hits[0].Text);
        Assert.Equal("error", hits[0].SourceId);
    }

    [Fact]
    public void TheEnglishAnalyzerStemsAndTheStandardOneDoesNot()
    {
        using var english = Bm25Index.Build(Corpus, new Bm25Options { Analyzer = KeywordAnalyzer.English });
        using var standard = Bm25Index.Build(Corpus, new Bm25Options { Analyzer = KeywordAnalyzer.Standard });

        Assert.Equal("river", english.Search("floods", 1).Single().Id);
        Assert.Empty(standard.Search("floods", 1));
    }

    [Fact]
    public void Bm25AddRemoveAndBadInput()
    {
        using var index = Bm25Index.Build(Corpus);
        Assert.True(index.Remove("dog"));
        Assert.Empty(index.Search("puppy", 5));
        index.Add([new TextChunk("cat", "cat", "A kitten chased the puppy.", 0, 26)]);
        Assert.Equal("cat", index.Search("puppy", 5).Single().Id);
        Assert.Equal(5, index.Search("the river car eggs puppy error", 100).Count);
        Assert.Empty(index.Search("the of and", 5));

        Assert.Contains("'river'", Assert.Throws<ArgumentException>(() => index.Add([new TextChunk("new", "new", "x", 0, 1), new TextChunk("river", "river", "y", 0, 1)])).Message);
        Assert.Empty(index.Search("x", 5));
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => Bm25Index.Build(Array.Empty<(string, string)>())).Message);
    }

    [Fact]
    public void Bm25WritesAnOnDiskIndexWhenGivenAFolder()
    {
        var folder = TestVectors.TempFolder();
        using (var index = Bm25Index.Build(Corpus, new Bm25Options { Directory = folder }))
            Assert.Equal("recipe", index.Search("eggs", 1)[0].Id);
        Assert.NotEmpty(Directory.GetFiles(folder));
    }

    [Fact]
    public void RrfRewardsPassagesThatBothListsRankHigh()
    {
        RetrievedPassage P(string id, double score) => new(id, id, score, id, 0, id.Length);
        var keyword = new[] { P("a", 9), P("b", 5), P("c", 1) };
        var dense = new[] { P("b", 0.9), P("d", 0.8), P("a", 0.1) };

        var fused = ReciprocalRankFusion.Fuse([keyword, dense]);

        Assert.Equal(["b", "a", "d", "c"], fused.Select(p => p.Id));
        Assert.Equal(1.0 / 62 + 1.0 / 61, fused[0].Score, 12);
        var weighted = ReciprocalRankFusion.Fuse([keyword, dense], weights: [0.01, 1]);
        Assert.Equal(["b", "d", "a", "c"], weighted.Select(p => p.Id));
        Assert.Throws<ArgumentException>(() => ReciprocalRankFusion.Fuse([keyword, dense], weights: [1]));
        Assert.Throws<ArgumentException>(() => ReciprocalRankFusion.Fuse([keyword, dense], weights: [1, double.NaN]));
    }

    [Fact]
    public void MmrSkipsNearDuplicates()
    {
        float[] query = [1, 0, 0];
        float[][] candidates = [[0.9f, 0.1f, 0], [0.9f, 0.1f, 0.001f], [0.6f, 0, 0.8f]];

        Assert.Equal([0, 1, 2], MaximalMarginalRelevance.Select(query, candidates, 3, lambda: 1));
        Assert.Equal([0, 2], MaximalMarginalRelevance.Select(query, candidates, 2, lambda: 0.5));
        Assert.Throws<ArgumentException>(() => MaximalMarginalRelevance.Select(query, [[1f, 0]], 1));
    }

    [Fact]
    public async Task HybridFindsBothTheExactCodeAndTheParaphrase()
    {
        var embedder = SentenceEmbedders.MiniLmL6V2();
        using var keyword = Bm25Index.Build(Corpus);
        using var dense = VectorIndex.Build(embedder, Corpus);
        var hybrid = new HybridRetriever([keyword, dense]);

        Assert.Equal("error", (await hybrid.RetrieveAsync("XJ-442", 1)).Single().Id);
        Assert.Equal("dog", (await hybrid.RetrieveAsync("a young hound playing", 1)).Single().Id);
        var reranked = new HybridRetriever([keyword, dense], new HybridOptions { Reranker = new EmbeddingReranker(SentenceEmbedders.ArcticEmbedXs()), MmrLambda = 0.7 });
        var diverse = await reranked.RetrieveAsync("a young hound playing", 3);
        Assert.Equal("dog", diverse[0].Id);
        Assert.Equal(3, diverse.Select(p => p.Id).Distinct().Count());
        Assert.Throws<ArgumentException>(() => new HybridRetriever([keyword], new HybridOptions { MmrLambda = 0.5 }));
    }
}
