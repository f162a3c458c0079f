namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// UMAP, Uniform Manifold Approximation and Projection (McInnes, Healy &amp; Melville 2018), as umap-learn computes it:
/// exact k nearest neighbours (<see cref="NeighborSpace"/>), their fuzzy simplicial set (<see cref="FuzzySimplicialSet"/>),
/// a spectral start (<see cref="SpectralLayout"/>) and the SGD layout (<see cref="UmapLayout"/>) with a and b fitted
/// from min_dist and spread (<see cref="UmapCurve"/>). Same data and seed → identical coordinates.
/// </summary>
internal static class Umap
{
    /// <summary>Fits UMAP on <paramref name="data"/> (n rows of equal length); the result holds the layout and transforms new points.</summary>
    /// <exception cref="ArgumentException">Ragged or non-finite rows, fewer rows than <c>Neighbors</c> + 1 or than
    /// <c>Components</c> + 2, or <c>Components</c> not below the input dimension.</exception>
    public static UmapModel Fit(float[][] data, UmapOptions options)
    {
        Validate(data, options);
        int n = data.Length, k = options.Neighbors;
        var space = new NeighborSpace(data, options.Metric);
        var (indices, distances) = space.Graph(k);
        int epochs = options.Epochs ?? (n <= 10_000 ? 500 : 200);
        var graph = FuzzySimplicialSet.Build(indices, distances);
        graph = graph.Without(graph.Weights.Max() / epochs); // edges sampled less than once in the run are dropped, as umap-learn

        var random = new Random(options.Seed);
        var layout = InitialLayout(graph, options.Components, random);
        var (a, b) = UmapCurve.Fit(options.MinDistance, options.Spread);
        UmapLayout.Optimize(layout, layout, graph, a, b, epochs, options.LearningRate, random);
        return new UmapModel(options.Metric, k, a, b, options.LearningRate, options.Seed, data, layout);
    }

    /// <summary>The spectral layout scaled as umap-learn does: to a largest magnitude of 10, a little noise (σ = 0.0001), then each dimension to [0, 10].</summary>
    private static float[][] InitialLayout(UmapGraph graph, int components, Random random)
    {
        var spectral = SpectralLayout.Embed(graph, components, random);
        double expansion = 10 / Math.Max(spectral.Max(row => row.Max(Math.Abs)), 1e-30);
        var noisy = spectral.Select(row => row.Select(x => x * expansion + 0.0001 * SpectralLayout.Gaussian(random)).ToArray()).ToArray();
        var layout = new float[noisy.Length][];
        for (int i = 0; i < noisy.Length; i++)
            layout[i] = new float[components];
        for (int c = 0; c < components; c++)
        {
            double min = noisy.Min(row => row[c]), max = noisy.Max(row => row[c]);
            for (int i = 0; i < noisy.Length; i++)
                layout[i][c] = (float)(10 * (noisy[i][c] - min) / Math.Max(max - min, 1e-30));
        }
        return layout;
    }

    private static void Validate(float[][] data, UmapOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (options.Neighbors < 2)
            throw new ArgumentOutOfRangeException(nameof(options), options.Neighbors, "UMAP: Neighbors must be at least 2.");
        if (options.MinDistance < 0 || options.MinDistance > options.Spread || !(options.Spread > 0))
            throw new ArgumentOutOfRangeException(nameof(options), options.MinDistance,
                $"UMAP: MinDistance must be between 0 and the spread ({options.Spread}), and the spread above 0.");
        if (options.Components < 1)
            throw new ArgumentOutOfRangeException(nameof(options), options.Components, "UMAP: Components must be at least 1.");
        if (data.Length < options.Neighbors + 1)
            throw new ArgumentException($"UMAP with {options.Neighbors} neighbours needs at least {options.Neighbors + 1} rows; there are " +
                $"{data.Length}. Lower Neighbors or give more rows.", nameof(data));
        if (data.Length < options.Components + 2)
            throw new ArgumentException($"UMAP to {options.Components} components needs at least {options.Components + 2} rows; there are {data.Length}.",
                nameof(data));
        int size = data[0].Length;
        if (options.Components >= size)
            throw new ArgumentException($"UMAP to {options.Components} components needs inputs of more than {options.Components} values; they have {size}.",
                nameof(options));
        for (int i = 0; i < data.Length; i++)
        {
            if (data[i].Length != size)
                throw new ArgumentException($"UMAP: row {i} has {data[i].Length} values; row 0 has {size}.", nameof(data));
            foreach (var value in data[i])
                if (!float.IsFinite(value))
                    throw new ArgumentException($"UMAP: row {i} holds NaN or infinity.", nameof(data));
        }
    }
}
