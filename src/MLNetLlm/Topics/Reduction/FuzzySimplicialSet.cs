namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// UMAP's fuzzy simplicial set of a k-nearest-neighbour graph (McInnes, Healy &amp; Melville 2018, section 3; umap-learn's
/// <c>smooth_knn_dist</c> and <c>fuzzy_simplicial_set</c>). Point i's membership to neighbour j is
/// <c>exp(−max(0, d(i, j) − ρᵢ) / σᵢ)</c>, where ρᵢ is the distance to i's nearest neighbour at a distance above 0
/// (so every point is fully connected to at least one other) and σᵢ is found by binary search so that the memberships
/// of i's k − 1 neighbours (itself left out) sum to log₂ k. The directed memberships A are then made symmetric by the
/// fuzzy union <c>A + Aᵀ − A∘Aᵀ</c> (the probabilistic t-conorm).
/// </summary>
internal static class FuzzySimplicialSet
{
    private const int SearchSteps = 64;
    private const double Tolerance = 1e-5;
    private const double MinScale = 1e-3; // σ is at least this fraction of the mean neighbour distance (umap-learn's MIN_K_DIST_SCALE)

    /// <summary>The symmetric fuzzy simplicial set of a kNN graph whose rows start with the point itself at distance 0.</summary>
    public static UmapGraph Build(int[][] indices, float[][] distances)
    {
        int n = indices.Length, k = indices[0].Length;
        double meanDistance = distances.Average(row => row.Average(d => (double)d));
        var directed = new Dictionary<long, float>(n * k);
        for (int i = 0; i < n; i++)
        {
            var memberships = Memberships(distances[i].AsSpan(1), k, meanDistance);
            for (int j = 1; j < k; j++)
                if (indices[i][j] != i)
                    directed[Key(i, indices[i][j], n)] = memberships[j - 1];
        }

        var union = new SortedDictionary<long, float>();
        foreach (var (key, weight) in directed)
        {
            int i = (int)(key / n), j = (int)(key % n);
            float transposed = directed.GetValueOrDefault(Key(j, i, n));
            float combined = weight + transposed - weight * transposed;
            union[key] = combined;
            union[Key(j, i, n)] = combined;
        }
        return new UmapGraph(n, union.Keys.Select(key => (int)(key / n)).ToArray(), union.Keys.Select(key => (int)(key % n)).ToArray(),
            union.Values.ToArray());
    }

    /// <summary>
    /// The memberships of one point's neighbours (distances sorted ascending, the point itself not among them) for a
    /// neighbourhood of <paramref name="k"/> points: their sum is log₂ k unless σ had to be raised to its floor.
    /// </summary>
    /// <param name="distances">The neighbour distances.</param>
    /// <param name="k">The neighbourhood size the target sum log₂ k is taken from.</param>
    /// <param name="meanDistance">The mean neighbour distance over all points (the floor of σ for a point with ρ = 0).</param>
    /// <param name="localConnectivity">1 in fit (ρ is the first distance above 0); 0 in transform (ρ = 0, as umap-learn's transform).</param>
    public static float[] Memberships(ReadOnlySpan<float> distances, int k, double meanDistance, int localConnectivity = 1)
    {
        double rho = 0;
        if (localConnectivity > 0)
            foreach (var d in distances)
                if (d > 0)
                {
                    rho = d;
                    break;
                }
        double sigma = Sigma(distances, rho, Math.Log2(k));
        double floor = MinScale * (rho > 0 ? Mean(distances) : meanDistance);
        sigma = Math.Max(sigma, floor);

        var memberships = new float[distances.Length];
        for (int j = 0; j < distances.Length; j++)
        {
            double excess = distances[j] - rho;
            memberships[j] = excess <= 0 || sigma == 0 ? 1f : (float)Math.Exp(-excess / sigma);
        }
        return memberships;
    }

    /// <summary>The σ for which Σⱼ exp(−max(0, dⱼ − ρ) / σ) is <paramref name="target"/>: doubling until above, then bisection.</summary>
    private static double Sigma(ReadOnlySpan<float> distances, double rho, double target)
    {
        double low = 0, high = double.PositiveInfinity, mid = 1;
        for (int step = 0; step < SearchSteps; step++)
        {
            double sum = 0;
            foreach (var d in distances)
                sum += d - rho > 0 ? Math.Exp(-(d - rho) / mid) : 1;
            if (Math.Abs(sum - target) < Tolerance)
                break;
            if (sum > target)
            {
                high = mid;
                mid = (low + high) / 2;
            }
            else
            {
                low = mid;
                mid = double.IsPositiveInfinity(high) ? mid * 2 : (low + high) / 2;
            }
        }
        return mid;
    }

    private static double Mean(ReadOnlySpan<float> distances)
    {
        double sum = 0;
        foreach (var d in distances)
            sum += d;
        // umap-learn's row mean includes the point itself at distance 0.
        return sum / (distances.Length + 1);
    }

    private static long Key(int i, int j, int n) => (long)i * n + j;
}
