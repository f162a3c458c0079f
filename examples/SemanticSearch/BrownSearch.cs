using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Datasets;
using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;
using MLNetLlm.Search;
using Spectre.Console;

/// <summary>
/// The Brown mode: cuts Brown texts into passages (paragraphs packed up to 96 words, with their offsets), indexes them
/// for BM25 and for dense search, prints the three rankings of each query side by side, then answers the first query
/// with retrieval-augmented generation.
/// </summary>
internal static class BrownSearch
{
    private static readonly string[] DefaultQueries =
    [
        "What did the grand jury say about the Atlanta election?",
        "a pitcher who won the baseball game",
        "faith in God and the church",
    ];

    public static async Task RunAsync(MLContext ml, Settings settings)
    {
        var all = ml.Data.CreateEnumerable<BrownDocument>(ml.Data.Llm.LoadBrownCorpus(), reuseRowObject: false).ToList();
        // Every k-th text, so that every genre stays in (ca01, the Fulton County grand jury, is always the first).
        var count = Math.Min(settings.Documents, all.Count);
        var documents = Enumerable.Range(0, count).Select(i => all[(int)((long)i * all.Count / count)]).ToList();
        var chunks = TextChunker.Split(documents.Select(d => (d.Id, d.Text)), new ChunkingOptions { Mode = ChunkingMode.Paragraphs, MaxTokens = 96 }).ToList();
        Console.WriteLine($"Brown corpus: {documents.Count} of {all.Count} texts ({documents.Select(d => d.Genre).Distinct().Count()} genres), " +
            $"{chunks.Count:N0} passages (paragraphs packed up to 96 words).");

        var embedder = SentenceEmbedders.MiniLmL6V2();
        var (vectors, docsPerSecond) = EmbeddingProgress.Embed(embedder, [.. chunks.Select(c => c.Text)], "Embedding passages");
        Console.WriteLine($"Embedded with all-MiniLM-L6-v2 at {docsPerSecond:N0} docs/s; load average {LoadAverage()} on {Environment.ProcessorCount} cores.");
        using var dense = VectorIndex.Build(chunks.Select((c, i) => new VectorDocument(c.Id, vectors[i], c.Text, SourceId: c.SourceId, Start: c.Start, Length: c.Length)),
            embedder: embedder);
        using var bm25 = Bm25Index.Build(chunks);
        var hybrid = new HybridRetriever([bm25, dense]);
        Console.WriteLine($"Indexes: BM25 (Lucene, English analyzer) and vectors ({dense.Engine}), {dense.Count:N0} passages each; hybrid = reciprocal-rank fusion (k 60) of both top-50 lists.");

        var questions = settings.Questions.Count > 0 ? settings.Questions : DefaultQueries;
        foreach (var question in questions)
        {
            var rankings = new[]
            {
                await bm25.RetrieveAsync(question, settings.Top),
                await dense.RetrieveAsync(question, settings.Top),
                await hybrid.RetrieveAsync(question, settings.Top),
            };
            ResultTable.Write(question, ["BM25", "dense (MiniLM)", "hybrid (RRF)"], rankings);
        }

        await RagAnswers.RunAsync(hybrid, questions[0]);
    }

    /// <summary>The 1-minute load average (Linux), to print beside figures measured on a shared machine.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "unknown";
}
