using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;
using MLNetLlm.Search;
using Microsoft.ML;

namespace MLNetLlm.Benchmarks.Search;

/// <summary>
/// Retrieval quality on WordNet: an example sentence of a synset is the query, the synset's gloss (definition) is the
/// one relevant passage among all 117,791 glosses. BM25 (Lucene, English analyzer), dense (all-MiniLM-L6-v2, exact
/// search: the quality of the embedding, not of an approximate index) and hybrid: reciprocal-rank fusion (equal
/// weights, k 60), and two fusions whose parameters are chosen on validation queries (example sentences of other
/// synsets, never the test queries): weighted RRF and a convex combination of min-max normalised scores. Every fusion
/// sees the top 100 of each retriever. A second block gives BM25 the synset's words beside its gloss (a dictionary
/// entry's headwords; the example sentence usually contains one): information the dense index of glosses does not have.
/// The gloss embeddings are cached (MLNETLLM_SEARCH_CACHE, default ~/.cache/mlnetllm/search); MLNETLLM_SEARCH_QUERIES
/// sets the number of test queries (1,000), MLNETLLM_SEARCH_GLOSSES a smaller corpus (default all).
/// </summary>
internal static class WordNetRetrievalBenchmark
{
    private const int K = 10, Candidates = 100, ValidationQueries = 500;
    private static readonly double[] RrfWeights = [0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50];
    private static readonly int[] RrfKs = [5, 20, 60];
    private static readonly double[] ScoreWeights = [.. Enumerable.Range(0, 21).Select(i => i / 20.0)];

    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var queryCount = int.TryParse(Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_QUERIES"), out var q) ? q : 1_000;
        int? glossCount = int.TryParse(Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_GLOSSES"), out var g) ? g : null;
        var set = WordNetGlossQueries.Draw(ml, queryCount, glossCount);
        var synsets = set.Synsets;
        var test = set.Queries.Select(x => (x.Text, Relevant: synsets[x.Relevant].Id)).ToArray();
        var validation = set.Tuning(ValidationQueries);

        var embedder = SentenceEmbedders.MiniLmL6V2();
        var (vectors, docsPerSecond, cached) = WordNetGlossQueries.GlossVectors(set, embedder, done =>
        {
            if ((done - 1) / 512 % 10 == 0)
                Console.Error.WriteLine($"embedded {done:N0}/{synsets.Count:N0} glosses");
        });
        Bm25Index? glosses = null, entries = null;
        var bm25Build = Measure.Time(() => glosses = Bm25Index.Build(synsets.Select(s => (s.Id, s.Gloss))));
        entries = Bm25Index.Build(synsets.Select(s => (s.Id, $"{string.Join(", ", s.Lemmas)}: {s.Gloss}")));
        using var dense = VectorIndex.Build(synsets.Select((s, i) => new VectorDocument(s.Id, vectors[i], s.Gloss)), new VectorIndexOptions { Engine = VectorEngine.Exact });

        var testLists = Lists(test.Select(x => x.Text).ToArray(), embedder, dense, glosses!, entries, out var msPerQuery);
        var validationLists = Lists(validation.Select(x => x.Text).ToArray(), embedder, dense, glosses!, entries, out _);
        var testRelevant = test.Select(x => x.Relevant).ToArray();
        var validationRelevant = validation.Select(x => x.Relevant).ToArray();

        output.WriteLine($"WordNet 3.1: {synsets.Count:N0} glosses{(synsets.Count < set.AllCount ? $" (a subset of the {set.AllCount:N0})" : "")}, {test.Length:N0} test queries " +
            $"(one example sentence of a random synset with examples, seed 1), {validation.Length} validation queries from other synsets (seed 2); " +
            $"load average {Measure.LoadAverage()} on 2 cores shared with other jobs.");
        output.WriteLine($"Embedding the glosses with all-MiniLM-L6-v2: {docsPerSecond:N0} docs/s{(cached ? " (measured when the cache was written; this run read the cache)" : "")}. " +
            $"BM25 index built in {bm25Build:F1} s. Per query: BM25 {msPerQuery.Bm25:F1} ms, dense (exact, {synsets.Count:N0} vectors) {msPerQuery.Dense:F1} ms, query embedding not included.");
        // The ceiling of any fusion of two top-100 lists: how often the relevant gloss is in either list at all.
        int In(Func<QueryLists, IReadOnlyList<RetrievedPassage>> list, int i) => list(testLists[i]).Any(p => p.Id == testRelevant[i]) ? 1 : 0;
        var (inDense, inGloss, inEntry) = (Enumerable.Range(0, test.Length).Sum(i => In(l => l.Dense, i)), Enumerable.Range(0, test.Length).Sum(i => In(l => l.Gloss, i)), Enumerable.Range(0, test.Length).Sum(i => In(l => l.Entry, i)));
        var inBoth = Enumerable.Range(0, test.Length).Sum(i => In(l => l.Dense, i) * In(l => l.Gloss, i));
        output.WriteLine($"Relevant gloss within the top {Candidates} of: dense {inDense / (double)test.Length:F3}, BM25 over glosses {inGloss / (double)test.Length:F3} " +
            $"(both {inBoth / (double)test.Length:F3}, either {(inDense + inGloss - inBoth) / (double)test.Length:F3}), BM25 over words + gloss {inEntry / (double)test.Length:F3}.");
        output.WriteLine();
        output.WriteLine("| passages for BM25 | retriever | recall@1 | recall@10 | MRR@10 | nDCG@10 | fusion chosen on validation (validation MRR@10) |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | --- |");
        var denseValidation = Mrr(validationLists.Select(l => l.Dense).ToArray(), validationRelevant);
        Row(output, "", "dense (MiniLM, exact)", testLists.Select(l => l.Dense), testRelevant, $"({denseValidation:F3})");
        foreach (var (label, keyword) in new (string, Func<QueryLists, IReadOnlyList<RetrievedPassage>>)[] { ("gloss", l => l.Gloss), ("words + gloss", l => l.Entry) })
        {
            Row(output, label, "BM25", testLists.Select(keyword), testRelevant, $"({Mrr(validationLists.Select(keyword).ToArray(), validationRelevant):F3})");
            Row(output, label, "hybrid, RRF k 60, equal weights", testLists.Select(l => ReciprocalRankFusion.Fuse([keyword(l), l.Dense])), testRelevant, "");

            var rrf = RrfWeights.SelectMany(w => RrfKs.Select(k => (Weight: w, K: k)))
                .Select(c => (c.Weight, c.K, Mrr: Mrr([.. validationLists.Select(l => ReciprocalRankFusion.Fuse([keyword(l), l.Dense], c.K, [c.Weight, 1]))], validationRelevant)))
                .OrderByDescending(c => c.Mrr).ThenBy(c => c.Weight).ThenBy(c => c.K).First();
            Row(output, label, "hybrid, weighted RRF", testLists.Select(l => ReciprocalRankFusion.Fuse([keyword(l), l.Dense], rrf.K, [rrf.Weight, 1])), testRelevant,
                $"BM25 weight {rrf.Weight} against 1, k {rrf.K} ({rrf.Mrr:F3})");

            var convex = ScoreWeights.Select(a => (Alpha: a, Mrr: Mrr([.. validationLists.Select(l => ScoreFusion.Fuse([keyword(l), l.Dense], [a, 1 - a]))], validationRelevant)))
                .OrderByDescending(c => c.Mrr).ThenBy(c => c.Alpha).First();
            Row(output, label, "hybrid, score combination", testLists.Select(l => ScoreFusion.Fuse([keyword(l), l.Dense], [convex.Alpha, 1 - convex.Alpha])), testRelevant,
                $"BM25 weight {convex.Alpha:0.00}, dense {1 - convex.Alpha:0.00} ({convex.Mrr:F3})");
            output.Flush();
        }
        glosses!.Dispose();
        entries.Dispose();
    }

    private sealed record QueryLists(IReadOnlyList<RetrievedPassage> Dense, IReadOnlyList<RetrievedPassage> Gloss, IReadOnlyList<RetrievedPassage> Entry);

    private static QueryLists[] Lists(string[] queries, TextEmbedder embedder, VectorIndex dense, Bm25Index glosses, Bm25Index entries, out (double Bm25, double Dense) msPerQuery)
    {
        var vectors = embedder.Embed(queries);
        var lists = new QueryLists[queries.Length];
        double bm25Seconds = 0, denseSeconds = 0;
        for (var i = 0; i < queries.Length; i++)
        {
            IReadOnlyList<RetrievedPassage> semantic = [], keyword = [];
            denseSeconds += Measure.Time(() => semantic = [.. dense.Search(vectors[i], Candidates).Select(h => new RetrievedPassage(h.Id, h.Text ?? "", h.Score, h.Id, 0, 0))]);
            bm25Seconds += Measure.Time(() => keyword = glosses.Search(queries[i], Candidates));
            lists[i] = new QueryLists(semantic, keyword, entries.Search(queries[i], Candidates));
        }
        msPerQuery = (1000 * bm25Seconds / queries.Length, 1000 * denseSeconds / queries.Length);
        return lists;
    }

    private static double Mrr(IReadOnlyList<RetrievedPassage>[] lists, string[] relevant) =>
        lists.Select((l, i) => RankingMetrics.RankOf(l, relevant[i])).Average(r => r is > 0 and <= K ? 1.0 / r : 0);

    private static void Row(TextWriter output, string passages, string name, IEnumerable<IReadOnlyList<RetrievedPassage>> lists, string[] relevant, string chosen)
    {
        var m = RankingMetrics.Compute([.. lists], relevant, K);
        output.WriteLine($"| {passages} | {name} | {m.RecallAt1:F3} | {m.RecallAtK:F3} | {m.MeanReciprocalRankAtK:F3} | {m.NdcgAtK:F3} | {chosen} |");
    }
}
