namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// A weighted graph as an edge list sorted by (head, tail): UMAP's fuzzy simplicial set once symmetrised holds both
/// (i, j) and (j, i) with the same weight.
/// </summary>
internal sealed record UmapGraph(int Vertices, int[] Heads, int[] Tails, float[] Weights)
{
    public int Edges => Heads.Length;

    /// <summary>The sum of the weights at each vertex.</summary>
    public double[] Degrees()
    {
        var degrees = new double[Vertices];
        for (int e = 0; e < Edges; e++)
            degrees[Heads[e]] += Weights[e];
        return degrees;
    }

    /// <summary>The graph without the edges lighter than <paramref name="threshold"/>.</summary>
    public UmapGraph Without(float threshold)
    {
        var kept = Enumerable.Range(0, Edges).Where(e => Weights[e] >= threshold).ToArray();
        return new UmapGraph(Vertices, kept.Select(e => Heads[e]).ToArray(), kept.Select(e => Tails[e]).ToArray(),
            kept.Select(e => Weights[e]).ToArray());
    }
}
