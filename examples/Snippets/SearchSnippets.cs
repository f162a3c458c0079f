using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Embeddings;
using MLNetLlm.Search;

namespace Snippets;

internal static class SearchSnippets
{
    public static async Task Search(MLContext ml, IDataView documents, IDataView questions, (string Id, string Text)[] texts)
    {
        // README: Semantic search
        var embedder = SentenceEmbedders.MiniLmL6V2();
        // As ML.NET components: Fit indexes the corpus, Transform adds each query's neighbours.
        var corpus = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(documents).Transform(documents);
        var search = ml.Transforms.Llm.IndexVectors("Query", embedder, k: 5).Fit(corpus);
        var answers = search.Transform(questions);                       // NeighbourIds, NeighbourScores, NeighbourTexts
        ml.Model.Llm.Save(search, questions.Schema, "search.zip");       // the index and the embedder: no re-embedding on load

        // As a plain API: passages cut with their source spans, dense + BM25 fused by reciprocal rank.
        var passages = TextChunker.Split(texts, new ChunkingOptions { Mode = ChunkingMode.Sentences, MaxTokens = 128 }).ToList();
        using var dense = VectorIndex.Build(passages.Select(p => new VectorDocument(p.Id, embedder.Embed(p.Text), p.Text, null, p.SourceId, p.Start, p.Length)),
            embedder: embedder);                                          // exact below 20,000 passages, HNSW (USearch) above
        using var keyword = Bm25Index.Build(passages);                    // Lucene.Net BM25, English analyzer
        var hybrid = new HybridRetriever([keyword, dense]);
        foreach (var passage in await hybrid.RetrieveAsync("Who wrote the report?", 3))
            Console.WriteLine($"{passage.SourceId} [{passage.Start}..{passage.Start + passage.Length}): {passage.Text}");
        dense.Save("my-index");                                           // reload with VectorIndex.Load("my-index", embedder)
        // end
        _ = answers;
    }
}
