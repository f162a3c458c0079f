using System.Diagnostics;
using MLNetLlm.Topics;
using MLNetLlm.Topics.Reduction;

namespace MLNetLlm.Benchmarks.Topics;

/// <summary>
/// The topic model's reduction step alone: UMAP's fit (BERTopic's settings: 15 neighbours, 5 components, min_dist 0,
/// cosine; 500 epochs) beside ML.NET's PCA to 5 dimensions, on N = 500 and 2,000 synthetic 384-value embeddings (20
/// topics, unit vectors with a within-topic cosine of about 0.3, as MiniLM gives related sentences), in the same run; then the time to place
/// one new document. Medians of several runs after a warm-up; wall clock on this machine. Also the share of documents
/// whose 10 nearest neighbours in the 5-D result mostly share their topic (kNN accuracy), for what the time buys.
/// </summary>
public static class UmapBenchmark
{
    private const int Size = 384, Topics = 20, Components = 5;

    public static void Run(TextWriter output)
    {
        Measure(Embeddings(200, seed: 1).Points, repeats: 1, TextWriter.Null); // warm-up: JIT, ML.NET
        output.WriteLine($"Synthetic embeddings: {Size} values, {Topics} topics; {Environment.ProcessorCount} cores, load average {Benchmarks.Measure.LoadAverage()} at the start.");
        output.WriteLine();
        output.WriteLine("| N | UMAP fit (s, median) | PCA fit (s, median) | UMAP / PCA | place 1 new document: UMAP / PCA (ms) | kNN topic accuracy in 5-D: UMAP / PCA |");
        output.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (n, repeats) in new[] { (500, 5), (2_000, 3) })
        {
            var (points, labels) = Embeddings(n, seed: 2);
            var result = Measure(points, repeats, output);
            output.WriteLine($"| {n:N0} | {result.Umap:F2} | {result.Pca:F2} | {result.Umap / result.Pca:F1}x | {result.UmapPlace:F2} / {result.PcaPlace:F3} | " +
                $"{Accuracy(result.UmapLayout, labels):P1} / {Accuracy(result.PcaLayout, labels):P1} |");
        }
    }

    private static (double Umap, double Pca, double UmapPlace, double PcaPlace, float[][] UmapLayout, float[][] PcaLayout) Measure(
        float[][] points, int repeats, TextWriter output)
    {
        var umapTimes = new List<double>();
        var pcaTimes = new List<double>();
        UmapModel? umap = null;
        PcaProjection? pca = null;
        for (int r = 0; r < repeats; r++)
        {
            umapTimes.Add(Benchmarks.Measure.Time(() => umap = Umap.Fit(points, new UmapOptions { Components = Components, Seed = 1 })));
            pcaTimes.Add(Benchmarks.Measure.Time(() => pca = PcaProjection.Fit(points, Components, seed: 1)));
        }
        var fresh = Embeddings(50, seed: 3).Points;
        var watch = Stopwatch.StartNew();
        foreach (var point in fresh)
            _ = umap!.Transform(point);
        double umapPlace = watch.Elapsed.TotalMilliseconds / fresh.Length;
        watch.Restart();
        foreach (var point in fresh)
            _ = pca!.Apply(point);
        double pcaPlace = watch.Elapsed.TotalMilliseconds / fresh.Length;
        return (Median(umapTimes), Median(pcaTimes), umapPlace, pcaPlace, umap!.Embedding, points.Select(p => pca!.Apply(p)).ToArray());
    }

    private static (float[][] Points, int[] Labels) Embeddings(int n, int seed)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, Topics).Select(_ => Unit(Enumerable.Range(0, Size).Select(_ => Gaussian(random)).ToArray())).ToArray();
        var labels = Enumerable.Range(0, n).Select(i => i % Topics).ToArray();
        // Noise of norm about 1.5 around a unit centre: cosine to the centre about 0.55, between two documents of a topic about 0.3.
        var points = labels.Select(c => Unit(centres[c].Select(x => x + 1.5f / MathF.Sqrt(Size) * Gaussian(random)).ToArray())).ToArray();
        return (points, labels);
    }

    private static double Accuracy(float[][] layout, int[] labels)
    {
        int correct = 0;
        for (int i = 0; i < layout.Length; i++)
        {
            var nearest = Enumerable.Range(0, layout.Length).Where(j => j != i)
                .OrderBy(j => System.Numerics.Tensors.TensorPrimitives.Distance(layout[i], layout[j])).Take(10);
            correct += nearest.GroupBy(j => labels[j]).OrderByDescending(g => g.Count()).First().Key == labels[i] ? 1 : 0;
        }
        return (double)correct / layout.Length;
    }

    private static float[] Unit(float[] v)
    {
        float norm = System.Numerics.Tensors.TensorPrimitives.Norm(v);
        return v.Select(x => x / norm).ToArray();
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
