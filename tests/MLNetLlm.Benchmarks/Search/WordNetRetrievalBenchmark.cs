using System.Globalization;
using System.Runtime.InteropServices;
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

    private sealed class Synset
    {
        public string Id { get; set; } = "";
        public string Gloss { get; set; } = "";
        public string[] Examples { get; set; } = [];
    }

    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var all = ml.Data.CreateEnumerable<Synset>(ml.Data.Llm.LoadWordNet(), reuseRowObject: false).ToList();
        var queryCount = int.TryParse(Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_QUERIES"), out var q) ? q : 1_000;
        var glossCount = int.TryParse(Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_GLOSSES"), out var g) ? Math.Min(g, all.Count) : all.Count;
        var random = new Random(1);
        var withExamples = all.Where(s => s.Examples.Length > 0).ToArray();
        random.Shuffle(withExamples);
        var asked = withExamples.Take(queryCount).ToArray();
        var synsets = glossCount == all.Count ? all : Subset(all, asked, glossCount, random);
        var position = synsets.Select((s, i) => (s.Id, i)).ToDictionary(x => x.Id, x => x.i);
        var queries = asked.Select(s => (Text: s.Examples[random.Next(s.Examples.Length)], Relevant: position[s.Id])).ToArray();

        var embedder = SentenceEmbedders.MiniLmL6V2();
        // A subset depends on the queries drawn, so its cache is named by both counts.
        var cacheName = synsets.Count == all.Count ? $"wordnet-glosses-{all.Count}" : $"wordnet-glosses-{synsets.Count}-of-{all.Count}-q{queries.Length}";
        var (vectors, docsPerSecond, cached) = GlossVectors(synsets, embedder, cacheName);

        Bm25Index? bm25 = null;
        var bm25Build = Measure.Time(() => bm25 = Bm25Index.Build(synsets.Select(s => (s.Id, s.Gloss))));
        VectorIndex? dense = null;
        var denseBuild = Measure.Time(() => dense = VectorIndex.Build(synsets.Select((s, i) => new VectorDocument(s.Id, vectors[i], s.Gloss)), embedder: embedder));
        var queryVectors = embedder.Embed([.. queries.Select(x => x.Text)]);

        var rankings = new Dictionary<string, List<IReadOnlyList<RetrievedPassage>>> { ["BM25"] = [], ["dense"] = [], ["hybrid (RRF)"] = [] };
        var seconds = new Dictionary<string, double> { ["BM25"] = 0, ["dense"] = 0, ["hybrid (RRF)"] = 0 };
        // BM25's fusion weight, chosen on tuning queries drawn from other synsets of the corpus.
        var testIds = asked.Select(s => s.Id).ToHashSet();
        var tuningPool = synsets.Select((s, i) => (s, i)).Where(x => x.s.Examples.Length > 0 && !testIds.Contains(x.s.Id)).ToArray();
        new Random(2).Shuffle(tuningPool);
        var tuning = tuningPool.Take(200).Select(x => (Text: x.s.Examples[0], Relevant: x.s.Id)).ToArray();
        var tuningVectors = embedder.Embed([.. tuning.Select(x => x.Text)]);
        var tuningLists = tuning.Select((t, i) => (Keyword: bm25!.Search(t.Text, Candidates), Dense: Passages(dense!.Search(tuningVectors[i], Candidates)))).ToArray();
        var grid = new[] { 0.02, 0.05, 0.1, 0.2, 0.5, 1.0 };
        var rrfKs = new[] { 5, 20, 60 };
        var tuned = grid.SelectMany(w => rrfKs.Select(k => (Weight: w, RrfK: k))).Select(c => (c.Weight, c.RrfK, Mrr: tuning.Select((t, i) =>
            Rank(ReciprocalRankFusion.Fuse([tuningLists[i].Keyword, tuningLists[i].Dense], c.RrfK, [c.Weight, 1]), t.Relevant)).Average(r => r is > 0 and <= K ? 1.0 / r : 0)))
            .OrderByDescending(x => x.Mrr).ThenBy(x => x.Weight).ThenBy(x => x.RrfK).First();
        var tuningDense = tuning.Select((t, i) => Rank(tuningLists[i].Dense, t.Relevant)).Average(r => r is > 0 and <= K ? 1.0 / r : 0);
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

        output.WriteLine($"WordNet 3.1: {synsets.Count:N0} glosses{(synsets.Count < all.Count ? $" (a subset of the {all.Count:N0}: the queries' glosses and seeded random others)" : "")}, {queries.Length:N0} queries (one example sentence of a random synset with examples, seed 1); " +
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
            var ranks = lists.Select((list, i) => Rank(list, synsets[queries[i].Relevant].Id)).ToArray();
            output.WriteLine($"| {name} | {Share(ranks, 1):F3} | {Share(ranks, K):F3} | {ranks.Average(r => r is > 0 and <= K ? 1.0 / r : 0):F3} | " +
                $"{ranks.Average(r => r is > 0 and <= K ? 1 / Math.Log2(r + 1) : 0):F3} | {1000 * seconds[name] / queries.Length:F1} |");
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

    // The queries' synsets and random others, in WordNet order.
    private static List<Synset> Subset(List<Synset> all, Synset[] asked, int count, Random random)
    {
        var keep = asked.Select(s => s.Id).ToHashSet();
        var others = all.Where(s => !keep.Contains(s.Id)).ToArray();
        random.Shuffle(others);
        keep.UnionWith(others.Take(Math.Max(0, count - keep.Count)).Select(s => s.Id));
        return [.. all.Where(s => keep.Contains(s.Id))];
    }

    private static IReadOnlyList<RetrievedPassage> Passages(IReadOnlyList<VectorHit> hits) =>
        [.. hits.Select(h => new RetrievedPassage(h.Id, h.Text ?? "", h.Score, h.Id, 0, 0))];

    private static int Rank(IReadOnlyList<RetrievedPassage> list, string relevant)
    {
        for (var r = 0; r < list.Count; r++)
            if (list[r].Id == relevant)
                return r + 1;
        return 0;
    }

    private static double Share(int[] ranks, int k) => ranks.Count(r => r > 0 && r <= k) / (double)ranks.Length;

    // The glosses' vectors, from the cache when it holds this corpus, else embedded (with progress) and cached.
    private static (float[][] Vectors, double DocsPerSecond, bool Cached) GlossVectors(List<Synset> synsets, TextEmbedder embedder, string cacheName)
    {
        var folder = Environment.GetEnvironmentVariable("MLNETLLM_SEARCH_CACHE")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetllm", "search");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{cacheName}-{embedder.Dimension}.f32");
        var rateFile = path + ".docs-per-second";
        var dimension = embedder.Dimension;
        if (File.Exists(path) && new FileInfo(path).Length == (long)synsets.Count * dimension * sizeof(float) && File.Exists(rateFile))
        {
            using var stream = File.OpenRead(path);
            var vectors = new float[synsets.Count][];
            for (var i = 0; i < vectors.Length; i++)
            {
                vectors[i] = new float[dimension];
                stream.ReadExactly(MemoryMarshal.AsBytes(vectors[i].AsSpan()));
            }
            return (vectors, double.Parse(File.ReadAllText(rateFile), CultureInfo.InvariantCulture), true);
        }
        var embedded = new float[synsets.Count][];
        var watch = System.Diagnostics.Stopwatch.StartNew();
        for (var start = 0; start < synsets.Count; start += 64)
        {
            var batch = synsets.Skip(start).Take(64).Select(s => s.Gloss).ToArray();
            embedder.Embed(batch).CopyTo(embedded, start);
            if (start / 64 % 100 == 0)
                Console.Error.WriteLine($"embedded {start + batch.Length:N0}/{synsets.Count:N0} glosses, {(start + batch.Length) / watch.Elapsed.TotalSeconds:N0} docs/s");
        }
        var rate = synsets.Count / watch.Elapsed.TotalSeconds;
        var staging = path + ".writing";
        using (var stream = File.Create(staging))
            foreach (var v in embedded)
                stream.Write(MemoryMarshal.AsBytes(v.AsSpan()));
        File.Move(staging, path, overwrite: true);
        File.WriteAllText(rateFile, rate.ToString("F1", CultureInfo.InvariantCulture));
        return (embedded, rate, false);
    }
}
