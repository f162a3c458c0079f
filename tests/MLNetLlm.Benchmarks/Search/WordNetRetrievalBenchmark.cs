using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;
using MLNetLlm.Search;
using Microsoft.ML;

namespace MLNetLlm.Benchmarks.Search;

/// <summary>
/// Retrieval quality on WordNet: an example sentence of a synset is the query, the synset's gloss (definition) is the
/// one relevant passage among all 117,791 glosses. BM25 (Lucene, English analyzer), dense (all-MiniLM-L6-v2, the
/// default vector index: HNSW at this size) and hybrid (reciprocal-rank fusion of both top-50 lists, equally weighted,
/// and weighted with BM25's weight chosen on 200 separate tuning queries whose synsets are not test queries), with recall@1,
/// recall@10, MRR@10 and nDCG@10; the dense figures are cross-checked by exact search with the core's
/// <see cref="RetrievalMetrics"/>. The gloss embeddings are cached (MLNETLLM_SEARCH_CACHE, default
/// ~/.cache/mlnetllm/search) so reruns skip the slow part; MLNETLLM_SEARCH_QUERIES sets the number of queries (1,000)
/// and MLNETLLM_SEARCH_GLOSSES a smaller corpus (the queries' glosses plus seeded random others; default all).
/// </summary>
internal static class WordNetRetrievalBenchmark
{
    private const int K = 10, Candidates = 50;

    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var queryCount = int.TryParse(Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_QUERIES"), out var q) ? q : 1_000;
        int? glossCount = int.TryParse(Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_GLOSSES"), out var g) ? g : null;
        var set = WordNetGlossQueries.Draw(ml, queryCount, glossCount);
        var (synsets, queries) = (set.Synsets, set.Queries);

        var embedder = SentenceEmbedders.MiniLmL6V2();
        var (vectors, docsPerSecond, cached) = WordNetGlossQueries.GlossVectors(set, embedder, done =>
        {
            if ((done - 1) / 64 % 100 == 0)
                Console.Error.WriteLine($"embedded {done:N0}/{synsets.Count:N0} glosses");
        });

        Bm25Index? bm25 = null;
        var bm25Build = Measure.Time(() => bm25 = Bm25Index.Build(synsets.Select(s => (s.Id, s.Gloss))));
        VectorIndex? dense = null;
        var denseBuild = Measure.Time(() => dense = VectorIndex.Build(synsets.Select((s, i) => new VectorDocument(s.Id, vectors[i], s.Gloss)), embedder: embedder));
        var queryVectors = embedder.Embed([.. queries.Select(x => x.Text)]);

        var rankings = new Dictionary<string, List<IReadOnlyList<RetrievedPassage>>> { ["BM25"] = [], ["dense"] = [], ["hybrid (RRF)"] = [] };
        var seconds = new Dictionary<string, double> { ["BM25"] = 0, ["dense"] = 0, ["hybrid (RRF)"] = 0 };
        // BM25's fusion weight, chosen on tuning queries drawn from other synsets of the corpus.
        var tuning = set.Tuning(200);
        var tuningVectors = embedder.Embed([.. tuning.Select(x => x.Text)]);
        var tuningLists = tuning.Select((t, i) => (Keyword: bm25!.Search(t.Text, Candidates), Dense: Passages(dense!.Search(tuningVectors[i], Candidates)))).ToArray();
        var grid = new[] { 0.02, 0.05, 0.1, 0.2, 0.5, 1.0 };
        var rrfKs = new[] { 5, 20, 60 };
        var tuned = grid.SelectMany(w => rrfKs.Select(k => (Weight: w, RrfK: k))).Select(c => (c.Weight, c.RrfK, Mrr: tuning.Select((t, i) =>
            RankingMetrics.RankOf(ReciprocalRankFusion.Fuse([tuningLists[i].Keyword, tuningLists[i].Dense], c.RrfK, [c.Weight, 1]), t.Relevant)).Average(r => r is > 0 and <= K ? 1.0 / r : 0)))
            .OrderByDescending(x => x.Mrr).ThenBy(x => x.Weight).ThenBy(x => x.RrfK).First();
        var tuningDense = tuning.Select((t, i) => RankingMetrics.RankOf(tuningLists[i].Dense, t.Relevant)).Average(r => r is > 0 and <= K ? 1.0 / r : 0);
        var weightedName = $"hybrid (RRF k {tuned.RrfK}, BM25 weight {tuned.Weight})";
        rankings[weightedName] = [];
        seconds[weightedName] = 0;

        for (var i = 0; i < queries.Length; i++)
        {
            IReadOnlyList<RetrievedPassage> keyword = [], semantic = [];
            seconds["BM25"] += Measure.Time(() => keyword = bm25!.Search(queries[i].Text, Candidates));
            var vector = queryVectors[i];
            seconds["dense"] += Measure.Time(() => semantic = Passages(dense!.Search(vector, Candidates)));
            IReadOnlyList<RetrievedPassage> fused = [];
            seconds["hybrid (RRF)"] += Measure.Time(() => fused = ReciprocalRankFusion.Fuse([keyword, semantic]));
            rankings["BM25"].Add(keyword);
            rankings["dense"].Add(semantic);
            rankings["hybrid (RRF)"].Add(fused);
            seconds[weightedName] += Measure.Time(() => fused = ReciprocalRankFusion.Fuse([keyword, semantic], tuned.RrfK, [tuned.Weight, 1]));
            rankings[weightedName].Add(fused);
        }
        seconds["hybrid (RRF)"] += seconds["BM25"] + seconds["dense"];
        seconds[weightedName] += seconds["BM25"] + seconds["dense"];

        output.WriteLine($"WordNet 3.1: {synsets.Count:N0} glosses{(synsets.Count < set.AllCount ? $" (a subset of the {set.AllCount:N0}: the queries' glosses and seeded random others)" : "")}, {queries.Length:N0} queries (one example sentence of a random synset with examples, seed 1); " +
            $"load average {Measure.LoadAverage()} on 2 cores shared with other jobs.");
        output.WriteLine($"Embedding the glosses with all-MiniLM-L6-v2: {docsPerSecond:N0} docs/s{(cached ? " (measured when the cache was written; this run read the cache)" : "")}. " +
            $"Build: BM25 {bm25Build:F1} s, vector index {denseBuild:F1} s ({dense!.Engine}).");
        output.WriteLine($"Fusion tuned on 200 other queries (BM25 weight {string.Join("/", grid)} against dense 1, RRF k {string.Join("/", rrfKs)}): " +
            $"weight {tuned.Weight}, k {tuned.RrfK}, tuning MRR@10 {tuned.Mrr:F3} (dense alone {tuningDense:F3}).");
        output.WriteLine();
        output.WriteLine("| retriever | recall@1 | recall@10 | MRR@10 | nDCG@10 | ms/query |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, lists) in rankings)
        {
            var m = RankingMetrics.Compute(lists, [.. queries.Select(x => synsets[x.Relevant].Id)], K);
            output.WriteLine($"| {name} | {m.RecallAt1:F3} | {m.RecallAtK:F3} | {m.MeanReciprocalRankAtK:F3} | {m.NdcgAtK:F3} | {1000 * seconds[name] / queries.Length:F1} |");
        }
        var exact = RetrievalMetrics.Compute(queryVectors, vectors, [.. queries.Select(x => x.Relevant)], K);
        output.WriteLine($"| dense, exact (core RetrievalMetrics) | {exact.RecallAt1:F3} | {exact.RecallAtK:F3} | {exact.MeanReciprocalRankAtK:F3} | | |");

        // HNSW against exact search on these real embeddings: the neighbours it finds, and its speed.
        using var brute = VectorIndex.Build(synsets.Select((s, i) => new VectorDocument(s.Id, vectors[i])), new VectorIndexOptions { Engine = VectorEngine.Exact });
        string[][] truth = [];
        var exactSeconds = Measure.Time(() => truth = [.. queryVectors.Select(v => brute.Search(v, K).Select(h => h.Id).ToArray())]);
        var hnswSeconds = Measure.Time(() => { foreach (var v in queryVectors) dense.Search(v, K); });
        var overlap = queryVectors.Select((v, i) => dense.Search(v, K).Count(h => truth[i].Contains(h.Id))).Sum() / (double)(queryVectors.Length * K);
        output.WriteLine();
        output.WriteLine($"HNSW (ef 64) against exact search on these {synsets.Count:N0} gloss embeddings: recall@10 {overlap:F3}, " +
            $"{queryVectors.Length / hnswSeconds:N0} against {queryVectors.Length / exactSeconds:N0} queries/s ({exactSeconds / hnswSeconds:F1}x).");
        bm25!.Dispose();
        dense.Dispose();
    }

    private static IReadOnlyList<RetrievedPassage> Passages(IReadOnlyList<VectorHit> hits) =>
        [.. hits.Select(h => new RetrievedPassage(h.Id, h.Text ?? "", h.Score, h.Id, 0, 0))];
}
