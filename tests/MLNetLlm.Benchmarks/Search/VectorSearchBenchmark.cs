using System.Globalization;
using System.Numerics.Tensors;
using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Search;

namespace MLNetLlm.Benchmarks.Search;

/// <summary>
/// HNSW (USearch) against exact search (TensorPrimitives) at 10 k and 100 k vectors of 384 dimensions: build time,
/// memory, queries per second (one query at a time, median of three passes) and HNSW's recall@10 against the exact
/// answer, for several search expansions (ef) of one graph. Two kinds of data: real sentence embeddings (WordNet
/// glosses embedded by all-MiniLM-L6-v2, a seeded sample; the queries are example sentences embedded by the same model)
/// and uniform random unit vectors, which have no structure for HNSW to exploit: its worst case.
/// MLNETLLM_VECTOR_DATA picks them (default <c>glosses,random</c>), MLNETLLM_VECTOR_SIZES the sizes (default 10000,100000).
/// MLNETLLM_HNSW_GRAPHS the graphs as connectivity/efConstruction pairs (default 16/128, the index's defaults).
/// The gloss vectors come from the wordnet-retrieval cache (all 117,791 glosses; embedded on the first run).
/// </summary>
internal static class VectorSearchBenchmark
{
    private const int Dimension = 384, K = 10, Queries = 200, Passes = 3;

    public static void Run(TextWriter output)
    {
        var data = (Environment.GetEnvironmentVariable("MLNETLLM_VECTOR_DATA") ?? "glosses,random").Split(',', StringSplitOptions.RemoveEmptyEntries);
        var sizes = (Environment.GetEnvironmentVariable("MLNETLLM_VECTOR_SIZES") ?? "10000,100000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var graphs = (Environment.GetEnvironmentVariable("MLNETLLM_HNSW_GRAPHS") ?? "16/128").Split(',')
            .Select(p => p.Split('/')).Select(p => new VectorIndexOptions { Connectivity = int.Parse(p[0], CultureInfo.InvariantCulture), ExpansionAdd = int.Parse(p[1], CultureInfo.InvariantCulture) }).ToArray();
        output.WriteLine($"{Dimension} dimensions, cosine, k = {K}, {Queries} queries one at a time, median of {Passes} passes; " +
            $"load average {Measure.LoadAverage()} on 2 cores shared with other jobs.");
        output.WriteLine();
        output.WriteLine("| data | vectors | engine | build (s) | memory (MB) | queries/s | speed-up vs exact | recall@10 |");
        output.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var kind in data)
        {
            var (vectors, queries, expansions) = kind switch
            {
                "glosses" => Glosses(),
                "random" => (Normalised(sizes.Max(), seed: 1), Normalised(Queries, seed: 2), new[] { 64, 256, 1024 }),
                _ => throw new ArgumentException($"MLNETLLM_VECTOR_DATA: unknown data '{kind}' (glosses or random)."),
            };
            foreach (var count in sizes)
                RunSize(output, kind, vectors[..Math.Min(count, vectors.Length)], queries, expansions, graphs);
        }
    }

    // A seeded shuffle of all gloss vectors (so any prefix is a random sample) and 200 example sentences as queries.
    private static (float[][] Vectors, float[][] Queries, int[] Expansions) Glosses()
    {
        var set = WordNetGlossQueries.Draw(new MLContext(seed: 1), Queries, glossCount: null);
        var embedder = SentenceEmbedders.MiniLmL6V2();
        var (vectors, _, _) = WordNetGlossQueries.GlossVectors(set, embedder, done =>
        {
            if ((done - 1) / 512 % 10 == 0)
                Console.Error.WriteLine($"embedded {done:N0}/{set.Synsets.Count:N0} glosses");
        });
        var shuffled = vectors.ToArray();
        new Random(3).Shuffle(shuffled);
        return (shuffled, embedder.Embed([.. set.Queries.Select(q => q.Text)]), [16, 32, 64, 128]);
    }

    private static void RunSize(TextWriter output, string kind, float[][] vectors, float[][] queries, int[] expansions, VectorIndexOptions[] graphs)
    {
        var count = vectors.Length;
        var documents = vectors.Select((v, i) => new VectorDocument(i.ToString(CultureInfo.InvariantCulture), v)).ToList();

        var (exact, exactBuild, exactMemory) = Build(documents, new VectorIndexOptions { Engine = VectorEngine.Exact });
        var truth = queries.Select(q => exact.Search(q, K).Select(h => h.Id).ToHashSet()).ToArray();
        var exactQps = QueriesPerSecond(exact, queries);
        exact.Dispose();
        output.WriteLine($"| {kind} | {count:N0} | exact | {exactBuild:F2} | {exactMemory:N0} | {exactQps:N0} | 1.0x | 1.000 |");
        output.Flush();

        foreach (var graph in graphs)
        {
            var (hnsw, hnswBuild, hnswMemory) = Build(documents, graph with { Engine = VectorEngine.Hnsw });
            foreach (var ef in expansions)
            {
                hnsw.SetExpansionSearch(ef);
                var hnswQps = QueriesPerSecond(hnsw, queries);
                var found = queries.Select((q, i) => hnsw.Search(q, K).Count(h => truth[i].Contains(h.Id))).Sum();
                output.WriteLine($"| {kind} | {count:N0} | HNSW M {graph.Connectivity}, efC {graph.ExpansionAdd}, ef {ef} | {hnswBuild:F1} | {hnswMemory:N0} | {hnswQps:N0} | {hnswQps / exactQps:F1}x | {found / (double)(queries.Length * K):F3} |");
                output.Flush();
            }
            hnsw.Dispose();
        }
    }

    private static (VectorIndex Index, double Seconds, double Megabytes) Build(List<VectorDocument> documents, VectorIndexOptions options)
    {
        var before = ResidentMegabytes();
        VectorIndex? index = null;
        var seconds = Measure.Time(() => index = VectorIndex.Build(documents, options));
        return (index!, seconds, ResidentMegabytes() - before);
    }

    private static double QueriesPerSecond(VectorIndex index, float[][] queries)
    {
        var rates = new double[Passes];
        for (var pass = 0; pass < Passes; pass++)
            rates[pass] = queries.Length / Measure.Time(() =>
            {
                foreach (var q in queries)
                    index.Search(q, K);
            });
        Array.Sort(rates);
        return rates[Passes / 2];
    }

    private static float[][] Normalised(int count, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var v = new float[Dimension];
            for (var d = 0; d < Dimension; d++)
                v[d] = (float)(random.NextDouble() * 2 - 1);
            TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
            vectors[i] = v;
        }
        return vectors;
    }

    // Current resident memory after a full collection (USearch's graph lives in native memory, so the GC heap alone would miss it).
    private static double ResidentMegabytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
