using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;
using MLNetLlm.Search;
using Spectre.Console;

/// <summary>
/// The WordNet mode: glosses are the passages, held-out example sentences the queries (the gloss of the same synset is
/// the one relevant passage); prints recall@1, recall@10, MRR@10 and nDCG@10 of BM25, dense and hybrid search, on the
/// same set as the wordnet-retrieval benchmark draws (WordNetGlossQueries), then one query's rankings side by side.
/// </summary>
internal static class WordNetEvaluation
{
    private const int K = 10, Candidates = 100;

    // Chosen by the wordnet-retrieval benchmark on 500 validation queries over all glosses (docs/benchmarks.md):
    // RRF with k 5 and equal weights; score combination with BM25 weighing 0.6 against dense 0.4.
    private const int TunedRrfK = 5;
    private const double TunedScoreWeight = 0.6;

    public static void Run(MLContext ml, Settings settings)
    {
        var set = WordNetGlossQueries.Draw(ml, Math.Min(settings.Queries, settings.Glosses), settings.Glosses);
        var synsets = set.Synsets;
        Console.WriteLine($"WordNet: {synsets.Count:N0} of {set.AllCount:N0} glosses (the queries' glosses and seeded random others), {set.Queries.Length:N0} queries " +
            "(one example sentence of a random synset, seed 1; its gloss is the one relevant passage).");

        var embedder = SentenceEmbedders.MiniLmL6V2();
        var (vectors, docsPerSecond, cached) = EmbeddingProgress.Run("Embedding glosses", synsets.Count,
            report => WordNetGlossQueries.GlossVectors(set, embedder, report));
        Console.WriteLine($"Glosses embedded with all-MiniLM-L6-v2 at {docsPerSecond:N0} docs/s" +
            $"{(cached ? " (when the cache was written; this run read ~/.cache/mlnetllm/search)" : "")}; load average {BrownSearch.LoadAverage()} on {Environment.ProcessorCount} cores.");
        using var bm25 = Bm25Index.Build(synsets.Select(s => (s.Id, s.Gloss)));
        using var dense = VectorIndex.Build(synsets.Select((s, i) => new VectorDocument(s.Id, vectors[i], s.Gloss)), embedder: embedder);
        var queryVectors = embedder.Embed([.. set.Queries.Select(q => q.Text)]);

        string[] names = ["BM25", "dense", "hybrid (RRF k 60)", $"hybrid (RRF k {TunedRrfK})", $"hybrid (score combination, BM25 weight {TunedScoreWeight})"];
        var rankings = names.ToDictionary(n => n, _ => new List<IReadOnlyList<RetrievedPassage>>());
        for (var i = 0; i < set.Queries.Length; i++)
        {
            var keyword = bm25.Search(set.Queries[i].Text, Candidates);
            IReadOnlyList<RetrievedPassage> semantic = [.. dense.Search(queryVectors[i], Candidates).Select(h => dense.Passage(h.Id, h.Score))];
            rankings[names[0]].Add(keyword);
            rankings[names[1]].Add(semantic);
            rankings[names[2]].Add(ReciprocalRankFusion.Fuse([keyword, semantic]));
            rankings[names[3]].Add(ReciprocalRankFusion.Fuse([keyword, semantic], TunedRrfK));
            rankings[names[4]].Add(ScoreFusion.Fuse([keyword, semantic], [TunedScoreWeight, 1 - TunedScoreWeight]));
        }

        var relevant = set.Queries.Select(q => synsets[q.Relevant].Id).ToArray();
        var table = new Table().AddColumns("retriever", "recall@1", "recall@10", "MRR@10", "nDCG@10");
        foreach (var (name, lists) in rankings)
        {
            var m = RankingMetrics.Compute(lists, relevant, K);
            table.AddRow(Markup.Escape(name), $"{m.RecallAt1:F3}", $"{m.RecallAtK:F3}", $"{m.MeanReciprocalRankAtK:F3}", $"{m.NdcgAtK:F3}");
        }
        AnsiConsole.Write(table);

        var shown = settings.Questions.Count > 0 ? settings.Questions[0] : set.Queries[0].Text;
        var shownVector = embedder.Embed([shown])[0];
        var keywordTop = bm25.Search(shown, Candidates);
        IReadOnlyList<RetrievedPassage> denseTop = [.. dense.Search(shownVector, Candidates).Select(h => dense.Passage(h.Id, h.Score))];
        ResultTable.Write(shown, ["BM25", "dense", "hybrid (RRF k 60)"],
            [[.. keywordTop.Take(settings.Top)], [.. denseTop.Take(settings.Top)], [.. ReciprocalRankFusion.Fuse([keywordTop, denseTop]).Take(settings.Top)]]);
        if (settings.Questions.Count == 0)
            Console.WriteLine($"(its relevant gloss: {synsets[set.Queries[0].Relevant].Id} \"{synsets[set.Queries[0].Relevant].Gloss}\")");
    }
}
