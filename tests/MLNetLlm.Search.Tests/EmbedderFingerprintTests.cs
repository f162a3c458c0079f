using MLNetLlm.Embeddings;
using MLNetLlm.Search;

namespace MLNetLlm.Search.Tests;

public class EmbedderFingerprintTests
{
    [Fact]
    public async Task TextSearchUsesTheEmbedderAndRetrievesCitablePassages()
    {
        var embedder = SentenceEmbedders.MiniLmL6V2();
        const string source = "Cats purr when content. Volcanoes erupt molten rock. Bread is baked from flour.";
        var chunks = TextChunker.Split("doc", source, new ChunkingOptions { MaxTokens = 5, Overlap = 0 });
        using var index = VectorIndex.Build(chunks.Select(c => new VectorDocument(c.Id, embedder.Embed(c.Text), c.Text, null, c.SourceId, c.Start, c.Length)),
            embedder: embedder);

        var passage = (await index.RetrieveAsync("lava from a mountain", 1)).Single();

        Assert.Equal("Volcanoes erupt molten rock.", passage.Text);
        Assert.Equal("doc", passage.SourceId);
        Assert.Equal(passage.Text, source.Substring(passage.Start, passage.Length));
    }

    [Fact]
    public void AnIndexFromAnotherEmbedderIsRefusedOnLoad()
    {
        var miniLm = SentenceEmbedders.MiniLmL6V2();
        var folder = TestVectors.TempFolder();
        using (var index = VectorIndex.Build(miniLm, [("a", "apples"), ("b", "bananas")]))
            index.Save(folder);

        var error = Assert.Throws<InvalidDataException>(() => VectorIndex.Load(folder, SentenceEmbedders.ArcticEmbedXs()));

        Assert.Contains("all-MiniLM-L6-v2", error.Message);
        using var same = VectorIndex.Load(folder, miniLm);
        Assert.Equal("a", same.Search("an apple", 1)[0].Id);
        using var vectorsOnly = VectorIndex.Load(folder);
        Assert.Contains("no embedder", Assert.Throws<InvalidOperationException>(() => vectorsOnly.Search("an apple", 1)).Message);
    }
}
