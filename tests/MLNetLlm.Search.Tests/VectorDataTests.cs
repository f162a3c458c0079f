using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Search.Tests;

public class VectorDataTests
{
    private const int Dimension = 8;

    private static (VectorIndex Index, float[][] Vectors) Index(int count = 40)
    {
        var vectors = TestVectors.Normalised(count, Dimension, seed: 5);
        var index = VectorIndex.Build(TestVectors.Documents(vectors, i => i % 2 == 0 ? "even" : "odd"), new VectorIndexOptions { Engine = VectorEngine.Exact });
        return (index, vectors);
    }

    private static async Task<List<T>> List<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
            list.Add(item);
        return list;
    }

    [Fact]
    public async Task TheCollectionSearchesAsTheIndexDoesWhateverTheVectorType()
    {
        var (index, vectors) = Index();
        using var _ = index;
        var collection = index.AsVectorStoreCollection("glosses");
        var query = TestVectors.Normalised(1, Dimension, seed: 9)[0];
        var expected = index.Search(query, 5);

        foreach (var results in new[]
        {
            await List(collection.SearchAsync(query, 5)),
            await List(collection.SearchAsync(new ReadOnlyMemory<float>(query), 5)),
            await List(collection.SearchAsync(new Embedding<float>(query), 5)),
        })
        {
            Assert.Equal(expected.Select(h => h.Id), results.Select(r => r.Record.Id));
            Assert.Equal(expected.Select(h => (double)h.Score), results.Select(r => r.Score!.Value));
            Assert.All(results, r => Assert.True(r.Record.Vector.IsEmpty));
        }
        Assert.Equal(TestVectors.Reference(vectors, query, 5, VectorMetric.Cosine), expected.Select(h => h.Id));
        var withVectors = await List(collection.SearchAsync(query, 1, new VectorSearchOptions<VectorIndexRecord> { IncludeVectors = true }));
        Assert.Equal(index.Vector(withVectors[0].Record.Id), withVectors[0].Record.Vector.ToArray());
        Assert.Equal("glosses", Assert.IsType<VectorStoreCollectionMetadata>(collection.GetService(typeof(VectorStoreCollectionMetadata))).CollectionName);
        Assert.Same(index, collection.GetService(typeof(VectorIndex)));
    }

    [Fact]
    public async Task FiltersSkipAndThresholdApplyToTheRecords()
    {
        var (index, _) = Index();
        using var _ = index;
        var collection = index.AsVectorStoreCollection();
        var query = TestVectors.Normalised(1, Dimension, seed: 9)[0];

        var even = await List(collection.SearchAsync(query, 4, new VectorSearchOptions<VectorIndexRecord> { Filter = r => r.Metadata == "even" }));
        Assert.Equal(index.Search(query, 4, m => m == "even").Select(h => h.Id), even.Select(r => r.Record.Id));

        var all = await List(collection.SearchAsync(query, 6));
        var skipped = await List(collection.SearchAsync(query, 4, new VectorSearchOptions<VectorIndexRecord> { Skip = 2 }));
        Assert.Equal(all.Skip(2).Select(r => r.Record.Id), skipped.Select(r => r.Record.Id));

        var threshold = all[2].Score!.Value;
        var above = await List(collection.SearchAsync(query, 6, new VectorSearchOptions<VectorIndexRecord> { ScoreThreshold = threshold }));
        Assert.Equal(all.Take(3).Select(r => r.Record.Id), above.Select(r => r.Record.Id));

        var texts = await List(collection.GetAsync(r => r.Text!.EndsWith('3'), top: 2, new FilteredRecordRetrievalOptions<VectorIndexRecord> { Skip = 1 }));
        Assert.Equal(["doc13", "doc23"], texts.Select(r => r.Id));
    }

    [Fact]
    public async Task UpsertAddsOrReplacesAndDeleteRemoves()
    {
        var (index, vectors) = Index(10);
        using var _ = index;
        var collection = index.AsVectorStoreCollection();
        var moved = vectors[9];

        await collection.UpsertAsync(new VectorIndexRecord { Id = "doc0", Vector = moved, Text = "replaced", Metadata = "new" });
        await collection.UpsertAsync([new VectorIndexRecord { Id = "extra", Vector = vectors[1], Text = "added", SourceId = "book", Start = 40 }]);

        Assert.Equal(11, index.Count);
        var replaced = await collection.GetAsync("doc0", new RecordRetrievalOptions { IncludeVectors = true });
        Assert.Equal(("replaced", "new"), (replaced!.Text, replaced.Metadata));
        Assert.Equal(moved, replaced.Vector.ToArray(), (x, y) => MathF.Abs(x - y) < 1e-6f);
        var added = await collection.GetAsync("extra");
        Assert.Equal(("book", 40), (added!.SourceId, added.Start));
        Assert.Equal(["doc0", "doc9"], (await List(collection.SearchAsync(moved, 2))).Select(r => r.Record.Id).Order());

        await collection.DeleteAsync("doc0");
        await collection.DeleteAsync(["extra", "never-there"]);
        Assert.Null(await collection.GetAsync("doc0"));
        Assert.Equal(9, index.Count);
    }

    [Fact]
    public async Task ABadRecordInABatchWritesNothing()
    {
        var (index, vectors) = Index(10);
        using var _ = index;
        var collection = index.AsVectorStoreCollection();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(
        [
            new VectorIndexRecord { Id = "new", Vector = vectors[0], Text = "fine" },
            new VectorIndexRecord { Id = "doc3", Vector = new float[Dimension + 1], Text = "too long" },
        ]));
        Assert.Contains("doc3", error.Message);
        Assert.Contains("dimensions", error.Message);
        Assert.Equal(10, index.Count);
        Assert.Null(await collection.GetAsync("new"));
        Assert.Equal("text 3", (await collection.GetAsync("doc3"))!.Text);

        var twice = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(
            [new VectorIndexRecord { Id = "x", Vector = vectors[0] }, new VectorIndexRecord { Id = "x", Vector = vectors[1] }]));
        Assert.Contains("'x'", twice.Message);
        var noVector = await Assert.ThrowsAsync<ArgumentException>(() => collection.UpsertAsync(new VectorIndexRecord { Id = "y", Text = "no vector" }));
        Assert.Contains("no embedder", noVector.Message);
        Assert.Equal(10, index.Count);
    }

    [Fact]
    public async Task UnsupportedOperationsSayWhichAndWhy()
    {
        var (index, _) = Index(10);
        using var _ = index;
        var collection = index.AsVectorStoreCollection("mine");

        var deleted = await Assert.ThrowsAsync<NotSupportedException>(() => collection.EnsureCollectionDeletedAsync());
        Assert.Contains("EnsureCollectionDeletedAsync", deleted.Message);
        Assert.Contains("'mine'", deleted.Message);
        Assert.Contains("Int32", Assert.Throws<NotSupportedException>(() => collection.SearchAsync(42, 3)).Message);
        Assert.Contains("no embedder", Assert.Throws<NotSupportedException>(() => collection.SearchAsync("a text", 3)).Message);
        Assert.Contains("OrderBy", Assert.Throws<NotSupportedException>(() => collection.GetAsync(r => true, 3,
            new FilteredRecordRetrievalOptions<VectorIndexRecord> { OrderBy = o => o.Ascending(r => r.Id) })).Message);
        Assert.Contains("dimensions", Assert.Throws<ArgumentException>(() => collection.SearchAsync(new float[3], 3)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => collection.SearchAsync(new float[Dimension], 0));
        Assert.True(await collection.CollectionExistsAsync());
    }

    [Fact]
    public async Task WithAnEmbedderTheCollectionEmbedsTextsAndTextQueries()
    {
        var embedder = SentenceEmbedders.MiniLmL6V2();
        using var index = VectorIndex.Build(embedder, [("cat", "A cat sleeps on the warm windowsill."), ("tax", "The senate debated the new income tax bill.")]);
        var collection = index.AsVectorStoreCollection();

        await collection.UpsertAsync(new VectorIndexRecord { Id = "boat", Text = "Sailors steered the ship through the storm at sea." });

        var hits = await List(collection.SearchAsync("a vessel on the ocean", 3));
        Assert.Equal("boat", hits[0].Record.Id);
        Assert.Equal(index.Search("a vessel on the ocean", 3).Select(h => h.Id), hits.Select(h => h.Record.Id));
    }

    [Fact]
    public async Task AnyCollectionRetrievesPassagesForRag()
    {
        var embedder = SentenceEmbedders.MiniLmL6V2();
        string[] texts = ["A cat sleeps on the warm windowsill.", "The senate debated the new income tax bill.", "Sailors steered the ship through the storm at sea.", "Rain fell on the harbour all night."];
        var vectors = embedder.Embed(texts);
        var store = new InMemoryVectorCollection<int, Note>("notes", n => n.Key, n => n.Embedding);
        await store.UpsertAsync(texts.Select((t, i) => new Note(i, t, vectors[i], i < 2 ? "home" : "sea")));

        var retriever = store.AsPassageRetriever(new VectorStoreRetrieverOptions<Note> { Id = n => $"note{n.Key}", Text = n => n.Body, Embedder = embedder });
        var passages = await retriever.RetrieveAsync("sailing a ship through a storm", 2);
        Assert.Equal("note2", passages[0].Id);
        Assert.Equal(2, passages.Count);
        Assert.True(passages[0].Score > passages[1].Score);
        Assert.Equal((texts[2], "note2", 0, texts[2].Length), (passages[0].Text, passages[0].SourceId, passages[0].Start, passages[0].Length));

        var home = store.AsPassageRetriever(new VectorStoreRetrieverOptions<Note> { Id = n => $"note{n.Key}", Text = n => n.Body, Embedder = embedder, Filter = n => n.Place == "home" });
        Assert.All(await home.RetrieveAsync("a vessel in bad weather", 3), p => Assert.Contains(p.Id, new[] { "note0", "note1" }));

        var rag = new RetrievalAugmentedGenerator(retriever, new CitingChatClient(), new RagOptions { PassageCount = 2 });
        var answer = await rag.AnswerAsync("What happened to the ship?");
        Assert.Equal("note2", Assert.Single(answer.Citations).Passage.Id);
    }

    [Fact]
    public async Task AStoreThatEmbedsItselfGetsTheQuestionAsText()
    {
        var embedder = SentenceEmbedders.MiniLmL6V2();
        var store = new InMemoryVectorCollection<int, Note>("notes", n => n.Key, n => n.Embedding, embedder);
        string[] texts = ["A cat sleeps on the warm windowsill.", "Sailors steered the ship through the storm at sea."];
        var vectors = embedder.Embed(texts);
        await store.UpsertAsync(texts.Select((t, i) => new Note(i, t, vectors[i], "")));

        var distances = store.AsPassageRetriever(new VectorStoreRetrieverOptions<Note> { Id = n => $"{n.Key}", Text = n => n.Body, HigherScoreIsBetter = false });
        var passages = await distances.RetrieveAsync("a kitten napping", 2);
        Assert.Equal(["0", "1"], passages.Select(p => p.Id));
        Assert.True(passages[0].Score < 0);
        Assert.Equal(1, store.Searches);
        await Assert.ThrowsAsync<ArgumentException>(() => distances.RetrieveAsync("  ", 2));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => distances.RetrieveAsync("cat", 0));
    }

    [Fact]
    public async Task OurIndexThroughBothBridgesRetrievesAsItselfDoes()
    {
        var embedder = SentenceEmbedders.MiniLmL6V2();
        using var index = VectorIndex.Build(embedder, [("a", "Stock markets fell sharply on Monday."), ("b", "The team won the championship final."), ("c", "Investors sold shares after the bank's losses.")]);
        var retriever = index.AsVectorStoreCollection().AsPassageRetriever(new VectorStoreRetrieverOptions<VectorIndexRecord> { Id = r => r.Id, Text = r => r.Text ?? "" });

        var direct = await index.RetrieveAsync("shares dropped", 3);
        var bridged = await retriever.RetrieveAsync("shares dropped", 3);
        Assert.Equal(direct.Select(p => (p.Id, p.Text)), bridged.Select(p => (p.Id, p.Text)));
        Assert.Equal(direct.Select(p => p.Score), bridged.Select(p => p.Score), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    internal sealed record Note(int Key, string Body, ReadOnlyMemory<float> Embedding, string Place);

    // Cites its first source, as a grounded model would.
    private sealed class CitingChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "It sailed through a storm [1].")));

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
