using MLNetLlm.Topics.Reduction;

namespace MLNetLlm.Tests.Topics;

public sealed class UmapTests
{
    /// <summary>Gaussian blobs: <paramref name="clusters"/> centres at distance about 10·√2 apart, noise 1 per value.</summary>
    private static (float[][] Points, int[] Labels) Blobs(int clusters, int perCluster, int dimensions, int seed = 3)
    {
        var random = new Random(seed);
        var centres = Enumerable.Range(0, clusters).Select(_ => Enumerable.Range(0, dimensions).Select(_ => (float)(Gaussian(random) * 10 / Math.Sqrt(dimensions) * 2)).ToArray()).ToArray();
        var points = new List<float[]>();
        var labels = new List<int>();
        for (int i = 0; i < perCluster; i++)
            for (int c = 0; c < clusters; c++)
            {
                points.Add(centres[c].Select(x => x + (float)(0.3 * Gaussian(random))).ToArray());
                labels.Add(c);
            }
        return (points.ToArray(), labels.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void WellSeparatedBlobsStaySeparated(bool cosine)
    {
        var metric = cosine ? UmapMetric.Cosine : UmapMetric.Euclidean;
        var (points, labels) = Blobs(clusters: 5, perCluster: 40, dimensions: 50);
        var model = Umap.Fit(points, new UmapOptions { Metric = metric, Components = 2, Seed = 1 });

        Assert.Equal(points.Length, model.Embedding.Length);
        Assert.All(model.Embedding, row => Assert.True(row.Length == 2 && row.All(float.IsFinite)));
        Assert.True(NeighbourLabelAccuracy(model.Embedding, labels, k: 5) >= 0.99, "kNN label accuracy in the layout");
        double trust = Trustworthiness(points, model.Embedding, k: 5);
        Assert.True(trust >= 0.9, $"trustworthiness {trust}");
        // Each blob lies nearer its own members than any other blob's: its diameter is below the gap to the next blob.
        var centroids = Enumerable.Range(0, 5).Select(c => Mean(model.Embedding.Where((_, i) => labels[i] == c))).ToArray();
        for (int c = 0; c < 5; c++)
        {
            double spread = model.Embedding.Where((_, i) => labels[i] == c).Max(p => Distance(p, centroids[c]));
            double gap = Enumerable.Range(0, 5).Where(o => o != c).Min(o => Distance(centroids[c], centroids[o]));
            Assert.True(spread < gap / 2, $"blob {c}: spread {spread:F2}, gap {gap:F2}");
        }
    }

    [Fact]
    public void MembershipsSumToLog2OfTheNeighbourhood()
    {
        var random = new Random(5);
        foreach (int k in new[] { 5, 15, 30 })
        {
            var distances = Enumerable.Range(0, k - 1).Select(_ => (float)(0.2 + random.NextDouble())).Order().ToArray();
            var memberships = FuzzySimplicialSet.Memberships(distances, k, meanDistance: 0.7);
            Assert.Equal(Math.Log2(k), memberships.Sum(m => (double)m), precision: 4);
            Assert.Equal(1f, memberships[0]); // the nearest neighbour (at distance ρ) is fully connected
            Assert.True(memberships.Zip(memberships.Skip(1)).All(p => p.First >= p.Second), "memberships fall with distance");
        }
    }

    [Fact]
    public void FuzzyUnionIsSymmetricAndProbabilistic()
    {
        var (points, _) = Blobs(clusters: 2, perCluster: 15, dimensions: 8);
        var space = new NeighborSpace(points, UmapMetric.Euclidean);
        var (indices, distances) = space.Graph(k: 6);
        var graph = FuzzySimplicialSet.Build(indices, distances);

        var weights = Enumerable.Range(0, graph.Edges).ToDictionary(e => (graph.Heads[e], graph.Tails[e]), e => graph.Weights[e]);
        Assert.All(weights, pair => Assert.Equal(pair.Value, weights[(pair.Key.Item2, pair.Key.Item1)]));
        Assert.DoesNotContain(weights.Keys, key => key.Item1 == key.Item2);
        // Row i of the directed set, recomputed, against the union: w = a + b − ab.
        var directed = new Dictionary<(int, int), float>();
        for (int i = 0; i < points.Length; i++)
        {
            var memberships = FuzzySimplicialSet.Memberships(distances[i].AsSpan(1), 6, distances.Average(r => r.Average(d => (double)d)));
            for (int j = 1; j < 6; j++)
                directed[(i, indices[i][j])] = memberships[j - 1];
        }
        foreach (var ((i, j), w) in weights)
        {
            float a = directed.GetValueOrDefault((i, j)), b = directed.GetValueOrDefault((j, i));
            Assert.Equal(a + b - a * b, w, precision: 6);
        }
    }

    [Fact]
    public void CurveParametersMatchUmapLearn()
    {
        var (a, b) = UmapCurve.Fit(minDistance: 0.1f, spread: 1f);
        Assert.Equal(1.577, a, precision: 2);
        Assert.Equal(0.895, b, precision: 2);
        (a, b) = UmapCurve.Fit(minDistance: 0f, spread: 1f);
        Assert.InRange(a, 1.8, 2.0);
        Assert.InRange(b, 0.75, 0.82);
    }

    [Fact]
    public void SpectralStartSeparatesDisconnectedComponents()
    {
        // Two cliques of 6 vertices, no edge between them: Laplacian eigenvalue 0 twice, so the first non-trivial
        // eigenvector is constant on each clique with opposite signs.
        var edges = new List<(int, int)>();
        foreach (int offset in new[] { 0, 6 })
            for (int i = 0; i < 6; i++)
                for (int j = 0; j < 6; j++)
                    if (i != j)
                        edges.Add((offset + i, offset + j));
        var graph = new UmapGraph(12, edges.Select(e => e.Item1).ToArray(), edges.Select(e => e.Item2).ToArray(), edges.Select(_ => 1f).ToArray());

        var coordinates = SpectralLayout.Embed(graph, dimensions: 2, new Random(1));

        var first = coordinates.Select(c => c[0]).ToArray();
        Assert.All(first.Take(6), x => Assert.Equal(first[0], x, precision: 9));
        Assert.All(first.Skip(6), x => Assert.Equal(first[6], x, precision: 9));
        Assert.True(Math.Sign(first[0]) == -Math.Sign(first[6]) && Math.Abs(first[0]) > 0.1, $"{first[0]} and {first[6]}");
        // Every coordinate is orthogonal to the trivial eigenvector (the square roots of the degrees, all equal here).
        Assert.All(Enumerable.Range(0, 2), c => Assert.Equal(0, coordinates.Sum(p => p[c]), precision: 9));
    }

    [Fact]
    public void SameSeedSameCoordinates()
    {
        var (points, _) = Blobs(clusters: 3, perCluster: 20, dimensions: 16);
        var first = Umap.Fit(points, new UmapOptions { Seed = 4 });
        var second = Umap.Fit(points, new UmapOptions { Seed = 4 });
        var other = Umap.Fit(points, new UmapOptions { Seed = 5 });
        Assert.Equal(first.Embedding.SelectMany(r => r), second.Embedding.SelectMany(r => r));
        Assert.NotEqual(first.Embedding.SelectMany(r => r), other.Embedding.SelectMany(r => r));
        Assert.Equal(first.Transform(points[0].Select(x => x + 0.01f).ToArray()), second.Transform(points[0].Select(x => x + 0.01f).ToArray()));
    }

    [Fact]
    public void TransformPlacesTrainingPointsNearTheirFittedCoordinates()
    {
        var (points, labels) = Blobs(clusters: 4, perCluster: 30, dimensions: 32);
        var model = Umap.Fit(points, new UmapOptions { Components = 3, Seed = 2 });
        double diameter = model.Embedding.Max(p => model.Embedding.Max(q => Distance(p, q)));
        var random = new Random(8);
        for (int i = 0; i < points.Length; i++)
        {
            Assert.Equal(model.Embedding[i], model.Transform(points[i])); // a training row keeps its place
            var nudged = points[i].Select(x => x + (float)(0.01 * Gaussian(random))).ToArray();
            var placed = model.Transform(nudged);
            Assert.True(Distance(placed, model.Embedding[i]) < 0.1 * diameter, $"row {i} moved {Distance(placed, model.Embedding[i]):F2} of {diameter:F2}");
            int nearest = Enumerable.Range(0, points.Length).MinBy(j => Distance(placed, model.Embedding[j]));
            Assert.Equal(labels[i], labels[nearest]);
        }
    }

    [Fact]
    public void IdenticalAndZeroRowsGiveAFiniteLayout()
    {
        var rows = Enumerable.Range(0, 20).Select(i => i < 12 ? new float[] { 1, 2, 3, 4 } : new float[4]).ToArray();
        foreach (var metric in new[] { UmapMetric.Cosine, UmapMetric.Euclidean })
        {
            var model = Umap.Fit(rows, new UmapOptions { Neighbors = 5, Components = 2, Metric = metric });
            Assert.All(model.Embedding, row => Assert.All(row, x => Assert.True(float.IsFinite(x))));
            Assert.All(model.Transform([1, 2, 3, 4.5f]), x => Assert.True(float.IsFinite(x)));
        }
    }

    [Fact]
    public void BadInputFailsClearly()
    {
        var (points, _) = Blobs(clusters: 2, perCluster: 10, dimensions: 8);
        Assert.Contains("at least 16 rows", Assert.Throws<ArgumentException>(() => Umap.Fit(points.Take(15).ToArray(), new UmapOptions())).Message);
        Assert.Contains("more than 8 values", Assert.Throws<ArgumentException>(() => Umap.Fit(points, new UmapOptions { Components = 8, Neighbors = 5 })).Message);
        var bad = points.Select(p => (float[])p.Clone()).ToArray();
        bad[3][2] = float.PositiveInfinity;
        Assert.Contains("row 3", Assert.Throws<ArgumentException>(() => Umap.Fit(bad, new UmapOptions { Neighbors = 5 })).Message);
        var model = Umap.Fit(points, new UmapOptions { Neighbors = 5, Components = 2 });
        Assert.Contains("NaN", Assert.Throws<ArgumentException>(() => model.Transform(Enumerable.Repeat(float.NaN, 8).ToArray())).Message);
        Assert.Contains("8", Assert.Throws<ArgumentException>(() => model.Transform(new float[4])).Message);
    }

    private static double NeighbourLabelAccuracy(float[][] points, int[] labels, int k)
    {
        int correct = 0;
        for (int i = 0; i < points.Length; i++)
        {
            var votes = Enumerable.Range(0, points.Length).Where(j => j != i).OrderBy(j => Distance(points[i], points[j])).Take(k)
                .GroupBy(j => labels[j]).OrderByDescending(g => g.Count()).First().Key;
            correct += votes == labels[i] ? 1 : 0;
        }
        return (double)correct / points.Length;
    }

    /// <summary>Trustworthiness (Venna &amp; Kaski; scikit-learn's <c>trustworthiness</c>): 1 − a penalty for layout neighbours that were far in the input.</summary>
    internal static double Trustworthiness(float[][] input, float[][] layout, int k)
    {
        int n = input.Length;
        double penalty = 0;
        for (int i = 0; i < n; i++)
        {
            var inputOrder = Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Distance(input[i], input[j])).ThenBy(j => j).ToArray();
            var rank = new int[n];
            for (int r = 0; r < inputOrder.Length; r++)
                rank[inputOrder[r]] = r + 1;
            foreach (int j in Enumerable.Range(0, n).Where(j => j != i).OrderBy(j => Distance(layout[i], layout[j])).ThenBy(j => j).Take(k))
                penalty += Math.Max(0, rank[j] - k);
        }
        return 1 - 2.0 / (n * k * (2.0 * n - 3 * k - 1)) * penalty;
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (double)(x - y) * (x - y)).Sum());

    private static float[] Mean(IEnumerable<float[]> rows)
    {
        var list = rows.ToList();
        return Enumerable.Range(0, list[0].Length).Select(d => list.Average(r => r[d])).ToArray();
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
