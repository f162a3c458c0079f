namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// UMAP's spectral initialisation (umap-learn's <c>spectral_layout</c>): the eigenvectors of the normalised graph
/// Laplacian <c>L = I − D^(−½) W D^(−½)</c> for its smallest eigenvalues after the trivial one, one per output dimension.
/// umap-learn asks ARPACK; here a deterministic subspace iteration finds the same vectors: the largest eigenvectors of
/// <c>S = (I + D^(−½) W D^(−½)) / 2</c> (eigenvalues 1 − λ/2 of L's λ, all in [0, 1]), with the trivial eigenvector
/// <c>D^(½)·1</c> projected out at every step, then a Rayleigh–Ritz rotation. Each step costs one pass over the edges
/// per dimension; a fixed number of steps keeps the result a function of the seed. Disconnected components share
/// eigenvalue 1, so their vectors separate the components, as umap-learn's do.
/// </summary>
internal static class SpectralLayout
{
    private const int Steps = 300;

    /// <summary>Coordinates (n × <paramref name="dimensions"/>) of the graph's vertices; needs n &gt; dimensions + 1.</summary>
    public static double[][] Embed(UmapGraph graph, int dimensions, Random random)
    {
        int n = graph.Vertices;
        var degrees = graph.Degrees();
        var scale = degrees.Select(d => d > 0 ? 1 / Math.Sqrt(d) : 0).ToArray();
        var trivial = Normalized(degrees.Select(Math.Sqrt).ToArray());
        var basis = Enumerable.Range(0, dimensions).Select(_ => Enumerable.Range(0, n).Select(_ => Gaussian(random)).ToArray()).ToArray();
        Orthonormalize(basis, trivial, random);
        for (int step = 0; step < Steps; step++)
        {
            basis = basis.Select(v => Apply(graph, scale, v)).ToArray();
            Orthonormalize(basis, trivial, random);
        }

        // Rayleigh–Ritz: rotate the basis to S's eigenvectors within it, largest eigenvalue (smallest of L) first.
        var images = basis.Select(v => Apply(graph, scale, v)).ToArray();
        var projected = new double[dimensions, dimensions];
        for (int i = 0; i < dimensions; i++)
            for (int j = 0; j < dimensions; j++)
                projected[i, j] = (Dot(basis[i], images[j]) + Dot(basis[j], images[i])) / 2;
        var (values, vectors) = SymmetricEigen.Decompose(projected);
        var order = Enumerable.Range(0, dimensions).OrderByDescending(i => values[i]).ToArray();
        var coordinates = new double[n][];
        for (int p = 0; p < n; p++)
        {
            coordinates[p] = new double[dimensions];
            for (int c = 0; c < dimensions; c++)
                for (int i = 0; i < dimensions; i++)
                    coordinates[p][c] += vectors[i, order[c]] * basis[i][p];
        }
        return coordinates;
    }

    /// <summary>S·v = (v + D^(−½) W D^(−½) v) / 2.</summary>
    private static double[] Apply(UmapGraph graph, double[] scale, double[] v)
    {
        var result = new double[v.Length];
        for (int e = 0; e < graph.Edges; e++)
            result[graph.Heads[e]] += graph.Weights[e] * scale[graph.Tails[e]] * v[graph.Tails[e]];
        for (int i = 0; i < v.Length; i++)
            result[i] = (v[i] + scale[i] * result[i]) / 2;
        return result;
    }

    /// <summary>Modified Gram–Schmidt against the trivial vector and each other; a vector that vanishes is redrawn.</summary>
    private static void Orthonormalize(double[][] basis, double[] trivial, Random random)
    {
        for (int i = 0; i < basis.Length; i++)
        {
            for (int attempt = 0; ; attempt++)
            {
                Subtract(basis[i], trivial);
                for (int j = 0; j < i; j++)
                    Subtract(basis[i], basis[j]);
                double norm = Math.Sqrt(Dot(basis[i], basis[i]));
                if (norm > 1e-10 || attempt == 3)
                {
                    for (int p = 0; p < basis[i].Length; p++)
                        basis[i][p] /= Math.Max(norm, 1e-300);
                    break;
                }
                basis[i] = basis[i].Select(_ => Gaussian(random)).ToArray();
            }
        }
    }

    private static void Subtract(double[] v, double[] unit)
    {
        double projection = Dot(v, unit);
        for (int p = 0; p < v.Length; p++)
            v[p] -= projection * unit[p];
    }

    private static double Dot(double[] a, double[] b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }

    private static double[] Normalized(double[] v)
    {
        double norm = Math.Sqrt(Dot(v, v));
        return v.Select(x => x / norm).ToArray();
    }

    internal static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
