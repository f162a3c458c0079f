using System.Globalization;
using System.Numerics.Tensors;
using MLNetLlm.Search;

namespace MLNetLlm.Benchmarks.Search;

/// <summary>
/// HNSW (USearch) against exact search (TensorPrimitives) on random normalised 384-dimensional vectors, at 10 k and
/// 100 k: build time, memory, queries per second (median of three passes) and HNSW's recall@10 against the exact answer,
/// for several search expansions (ef) of one graph. Uniform random vectors have no structure to exploit: the hardest
/// case for HNSW, which needs a wide search to find their true neighbours.
/// </summary>
internal static class VectorSearchBenchmark
{
    private const int Dimension = 384, K = 10, Queries = 200, Passes = 3;
    private static readonly int[] Expansions = [64, 256, 1024];

    public static void Run(TextWriter output)
    {
        output.WriteLine($"Random unit vectors, {Dimension} dimensions, cosine, k = {K}, {Queries} queries, median of {Passes} passes; load average {Measure.LoadAverage()} on 2 cores shared with other jobs.");
        output.WriteLine();
        output.WriteLine("| vectors | engine | build (s) | memory (MB) | queries/s | speed-up vs exact | recall@10 |");
        output.WriteLine("| ---: | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var count in new[] { 10_000, 100_000 })
            RunSize(output, count);
    }

    private static void RunSize(TextWriter output, int count)
    {
        var vectors = Normalised(count, seed: 1);
        var queries = Normalised(Queries, seed: 2);
        var documents = vectors.Select((v, i) => new VectorDocument(i.ToString(CultureInfo.InvariantCulture), v)).ToList();

        var (exact, exactBuild, exactMemory) = Build(documents, VectorEngine.Exact);
        var truth = queries.Select(q => exact.Search(q, K).Select(h => h.Id).ToHashSet()).ToArray();
        var exactQps = QueriesPerSecond(exact, queries);
        exact.Dispose();

        output.WriteLine($"| {count:N0} | exact | {exactBuild:F2} | {exactMemory:N0} | {exactQps:N0} | 1.0x | 1.000 |");
        var (hnsw, hnswBuild, hnswMemory) = Build(documents, VectorEngine.Hnsw);
        foreach (var ef in Expansions)
        {
            hnsw.SetExpansionSearch(ef);
            var hnswQps = QueriesPerSecond(hnsw, queries);
            var found = queries.Select((q, i) => hnsw.Search(q, K).Count(h => truth[i].Contains(h.Id))).Sum();
            output.WriteLine($"| {count:N0} | HNSW, M 16, efConstruction 128, ef {ef} | {hnswBuild:F1} | {hnswMemory:N0} | {hnswQps:N0} | {hnswQps / exactQps:F1}x | {found / (double)(Queries * K):F3} |");
            output.Flush();
        }
        hnsw.Dispose();
    }

    private static (VectorIndex Index, double Seconds, double Megabytes) Build(List<VectorDocument> documents, VectorEngine engine)
    {
        var before = ResidentMegabytes();
        VectorIndex? index = null;
        var seconds = Measure.Time(() => index = VectorIndex.Build(documents, new VectorIndexOptions { Engine = engine }));
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
