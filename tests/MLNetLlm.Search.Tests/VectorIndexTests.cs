using MLNetLlm.Search;

namespace MLNetLlm.Search.Tests;

public class VectorIndexTests
{
    private static readonly VectorIndexOptions Exact = new() { Engine = VectorEngine.Exact };
    private static readonly VectorIndexOptions Hnsw = new() { Engine = VectorEngine.Hnsw };

    [Theory]
    [InlineData(VectorMetric.Cosine)]
    [InlineData(VectorMetric.DotProduct)]
    [InlineData(VectorMetric.L2)]
    public void ExactSearchReturnsTheReferenceRanking(VectorMetric metric)
    {
        var vectors = TestVectors.Normalised(500, 32, seed: 1);
        // Unnormalised vectors, so that the three metrics rank differently.
        for (var i = 0; i < vectors.Length; i++)
            vectors[i] = [.. vectors[i].Select(x => x * (1 + i % 7))];
        using var index = VectorIndex.Build(TestVectors.Documents(vectors), Exact with { Metric = metric });
        var query = TestVectors.Normalised(1, 32, seed: 2)[0];

        var hits = index.Search(query, 10);

        Assert.Equal(VectorEngine.Exact, index.Engine);
        Assert.Equal(TestVectors.Reference(vectors, query, 10, metric), hits.Select(h => h.Id));
        Assert.True(hits.Zip(hits.Skip(1)).All(p => p.First.Score >= p.Second.Score));
    }

    [Theory]
    [InlineData(VectorMetric.Cosine)]
    [InlineData(VectorMetric.DotProduct)]
    [InlineData(VectorMetric.L2)]
    public void HnswFindsNearlyAllTrueNeighbours(VectorMetric metric)
    {
        var vectors = TestVectors.Normalised(3000, 32, seed: 3);
        using var index = VectorIndex.Build(TestVectors.Documents(vectors), Hnsw with { Metric = metric });
        var queries = TestVectors.Normalised(50, 32, seed: 4);

        var found = queries.Sum(q => index.Search(q, 10).Select(h => h.Id).Intersect(TestVectors.Reference(vectors, q, 10, metric)).Count());

        Assert.Equal(VectorEngine.Hnsw, index.Engine);
        Assert.True(found / 500.0 >= 0.9, $"recall@10 {found / 500.0}");
        var self = index.Search(vectors[17], 1)[0];
        Assert.Equal("doc17", self.Id);
    }

    [Fact]
    public void ScoresAreTheMetricsSimilarityForBothEngines()
    {
        var vectors = TestVectors.Normalised(100, 16, seed: 5);
        using var exact = VectorIndex.Build(TestVectors.Documents(vectors), Exact);
        using var hnsw = VectorIndex.Build(TestVectors.Documents(vectors), Hnsw);

        Assert.Equal(1f, exact.Search(vectors[3], 1)[0].Score, 4);
        Assert.Equal(1f, hnsw.Search(vectors[3], 1)[0].Score, 4);
    }

    [Theory]
    [InlineData(VectorEngine.Exact)]
    [InlineData(VectorEngine.Hnsw)]
    public void FilterKeepsOnlyDocumentsWhoseMetadataPasses(VectorEngine engine)
    {
        var vectors = TestVectors.Normalised(2000, 16, seed: 6);
        using var index = VectorIndex.Build(TestVectors.Documents(vectors, i => i % 50 == 0 ? "rare" : "common"), new VectorIndexOptions { Engine = engine });

        var hits = index.Search(vectors[1], 10, metadata => metadata == "rare");

        Assert.Equal(10, hits.Count);
        Assert.All(hits, h => Assert.Equal("rare", h.Metadata));
        Assert.Equal(40, index.Search(vectors[1], 1000, metadata => metadata == "rare").Count);
    }

    [Theory]
    [InlineData(VectorEngine.Exact)]
    [InlineData(VectorEngine.Hnsw)]
    public void RemovedDocumentsAreNotFoundAndTheirIdsCanBeReused(VectorEngine engine)
    {
        var vectors = TestVectors.Normalised(200, 16, seed: 7);
        using var index = VectorIndex.Build(TestVectors.Documents(vectors), new VectorIndexOptions { Engine = engine });

        Assert.True(index.Remove("doc5"));
        Assert.False(index.Remove("doc5"));
        Assert.DoesNotContain(index.Search(vectors[5], 20), h => h.Id == "doc5");
        Assert.Equal(199, index.Count);

        index.Add(new VectorDocument("doc5", vectors[9], "replacement"));
        Assert.Equal("replacement", index.Search(vectors[9], 2).Single(h => h.Id == "doc5").Text);
    }

    [Fact]
    public void AutoMovesToHnswWhenTheIndexGrowsPastTheBreakEven()
    {
        var vectors = TestVectors.Normalised(300, 16, seed: 8);
        using var index = VectorIndex.Create(16, new VectorIndexOptions { ExactBelow = 250 });
        index.Add(TestVectors.Documents(vectors[..200]));
        Assert.Equal(VectorEngine.Exact, index.Engine);

        index.Add(TestVectors.Documents(vectors).Skip(200));

        Assert.Equal(VectorEngine.Hnsw, index.Engine);
        Assert.Equal("doc250", index.Search(vectors[250], 1)[0].Id);
        Assert.Equal("doc10", index.Search(vectors[10], 1)[0].Id);
    }

    [Theory]
    [InlineData(VectorEngine.Exact)]
    [InlineData(VectorEngine.Hnsw)]
    public void SavedIndexLoadsWithTheSameResultsAndStaysEditable(VectorEngine engine)
    {
        var vectors = TestVectors.Normalised(500, 16, seed: 9);
        var folder = TestVectors.TempFolder();
        using var index = VectorIndex.Build(TestVectors.Documents(vectors, i => i % 2 == 0 ? "even" : null), new VectorIndexOptions { Engine = engine });
        index.Remove("doc3");
        index.Save(folder);

        using var loaded = VectorIndex.Load(folder);

        Assert.Equal(engine, loaded.Engine);
        Assert.Equal(engine == VectorEngine.Hnsw, loaded.IsMemoryMapped);
        Assert.Equal(499, loaded.Count);
        foreach (var q in TestVectors.Normalised(5, 16, seed: 10))
            Assert.Equal(index.Search(q, 10), loaded.Search(q, 10));
        Assert.Equal("even", loaded.Search(vectors[4], 1)[0].Metadata);
        loaded.Add(new VectorDocument("new", vectors[3]));
        Assert.False(loaded.IsMemoryMapped);
        Assert.Equal("new", loaded.Search(vectors[3], 1)[0].Id);
    }

    [Fact]
    public void SavingOverAnIndexReplacesItButNeverAnotherFolder()
    {
        var vectors = TestVectors.Normalised(10, 8, seed: 11);
        var folder = TestVectors.TempFolder();
        using var index = VectorIndex.Build(TestVectors.Documents(vectors), Exact);
        index.Save(folder);
        index.Remove("doc0");
        index.Save(folder);
        using (var loaded = VectorIndex.Load(folder))
            Assert.Equal(9, loaded.Count);

        var other = TestVectors.TempFolder();
        Directory.CreateDirectory(other);
        File.WriteAllText(Path.Combine(other, "notes.txt"), "mine");
        Assert.Throws<IOException>(() => index.Save(other));
        Assert.Equal("mine", File.ReadAllText(Path.Combine(other, "notes.txt")));
    }

    [Fact]
    public void KLargerThanTheCorpusIsClamped()
    {
        using var index = VectorIndex.Build(TestVectors.Documents(TestVectors.Normalised(7, 8, seed: 12)), Exact);

        Assert.Equal(7, index.Search(TestVectors.Normalised(1, 8, seed: 13)[0], 100).Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => index.Search(new float[8], 0));
    }

    [Fact]
    public void AQueryOfTheWrongDimensionIsRefusedByName()
    {
        using var index = VectorIndex.Build(TestVectors.Documents(TestVectors.Normalised(7, 8, seed: 14)), Exact);

        var error = Assert.Throws<ArgumentException>(() => index.Search(new float[9], 3));
        Assert.Contains("9 dimensions", error.Message);
        Assert.Contains("8", error.Message);
    }

    [Fact]
    public void AnEmptyCorpusIsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => VectorIndex.Build([]));
        Assert.Contains("empty", error.Message);
        using var empty = VectorIndex.Create(8);
        Assert.Empty(empty.Search(TestVectors.Normalised(1, 8, seed: 1)[0], 5));
    }

    [Fact]
    public void DuplicateIdsAreRefusedAndNothingOfTheBatchIsAdded()
    {
        var vectors = TestVectors.Normalised(4, 8, seed: 15);
        using var index = VectorIndex.Build(TestVectors.Documents(vectors[..2]), Exact);

        var error = Assert.Throws<ArgumentException>(() => index.Add([new VectorDocument("x", vectors[2]), new VectorDocument("doc1", vectors[3])]));

        Assert.Contains("'doc1'", error.Message);
        Assert.Equal(2, index.Count);
        Assert.False(index.Contains("x"));
        Assert.Throws<ArgumentException>(() => VectorIndex.Build([new VectorDocument("a", vectors[0]), new VectorDocument("a", vectors[1])]));
    }

    [Fact]
    public void NonFiniteAndZeroVectorsAreRefused()
    {
        using var index = VectorIndex.Create(2);
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => index.Add(new VectorDocument("a", [float.NaN, 1]))).Message);
        Assert.Contains("zeros", Assert.Throws<ArgumentException>(() => index.Add(new VectorDocument("a", [0, 0]))).Message);
        Assert.Equal(0, index.Count);
    }

    [Theory]
    [InlineData(VectorEngine.Exact, "vectors.bin")]
    [InlineData(VectorEngine.Hnsw, "graph.usearch")]
    [InlineData(VectorEngine.Exact, "documents.bin")]
    public void ATruncatedIndexFileIsRefusedAndNamed(VectorEngine engine, string file)
    {
        var folder = TestVectors.TempFolder();
        using (var index = VectorIndex.Build(TestVectors.Documents(TestVectors.Normalised(100, 16, seed: 16)), new VectorIndexOptions { Engine = engine }))
            index.Save(folder);
        var path = Path.Combine(folder, file);
        using (var stream = new FileStream(path, FileMode.Open))
            stream.SetLength(stream.Length / 2);

        var error = Assert.Throws<InvalidDataException>(() => VectorIndex.Load(folder));

        Assert.Contains(file, error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void AMissingIndexFolderOrFileIsNamed()
    {
        Assert.Throws<FileNotFoundException>(() => VectorIndex.Load(Path.Combine(Path.GetTempPath(), "no-such-index-" + Guid.NewGuid())));
        var folder = TestVectors.TempFolder();
        using (var index = VectorIndex.Build(TestVectors.Documents(TestVectors.Normalised(10, 8, seed: 17)), Exact))
            index.Save(folder);
        File.Delete(Path.Combine(folder, "vectors.bin"));
        Assert.Contains("vectors.bin", Assert.Throws<FileNotFoundException>(() => VectorIndex.Load(folder)).Message);
    }
}
