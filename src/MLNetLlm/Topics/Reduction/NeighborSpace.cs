using System.Numerics.Tensors;

namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// Exact k-nearest-neighbour search by brute force over a fixed set of points. One query costs one distance per point
/// (n · d multiply-adds with <see cref="TensorPrimitives"/>) and O(k) memory; the whole graph of n points is O(n² · d)
/// time, about 1.5 G multiply-adds for 2,000 embeddings of 384 values, which is what topic modeling sees. Ties are
/// broken by the lower index, so results never depend on thread scheduling.
/// </summary>
internal sealed class NeighborSpace
{
    private readonly float[][] _points;
    private readonly UmapMetric _metric;

    public NeighborSpace(float[][] points, UmapMetric metric)
    {
        _metric = metric;
        _points = metric == UmapMetric.Cosine ? points.Select(Normalized).ToArray() : points;
    }

    public int Count => _points.Length;

    /// <summary>
    /// The <paramref name="k"/> points nearest <paramref name="query"/>, nearest first, leaving out the point at index
    /// <paramref name="exclude"/> (the query itself when it is one of the points; −1 leaves none out).
    /// </summary>
    public (int[] Indices, float[] Distances) Nearest(ReadOnlySpan<float> query, int k, int exclude = -1)
    {
        var prepared = _metric == UmapMetric.Cosine ? Normalized(query.ToArray()) : query.ToArray();
        var indices = new int[k];
        var distances = new float[k];
        distances.AsSpan().Fill(float.PositiveInfinity);
        int filled = 0;
        for (int j = 0; j < _points.Length; j++)
        {
            if (j == exclude)
                continue;
            float distance = Distance(prepared, _points[j]);
            if (filled == k && distance >= distances[k - 1])
                continue;
            // Insertion into the sorted list: strict comparison keeps the earlier index first on ties.
            int position = Math.Min(filled, k - 1);
            while (position > 0 && distances[position - 1] > distance)
            {
                distances[position] = distances[position - 1];
                indices[position] = indices[position - 1];
                position--;
            }
            distances[position] = distance;
            indices[position] = j;
            filled = Math.Min(filled + 1, k);
        }
        return (indices, distances);
    }

    /// <summary>The k − 1 nearest other points of every point, with the point itself prepended at distance 0 (umap-learn's layout of a kNN row).</summary>
    public (int[][] Indices, float[][] Distances) Graph(int k)
    {
        var indices = new int[_points.Length][];
        var distances = new float[_points.Length][];
        Parallel.For(0, _points.Length, i =>
        {
            var (near, far) = Nearest(_points[i], k - 1, exclude: i);
            indices[i] = [i, .. near];
            distances[i] = [0f, .. far];
        });
        return (indices, distances);
    }

    private float Distance(float[] a, float[] b) => _metric == UmapMetric.Cosine
        ? Math.Max(0f, 1f - TensorPrimitives.Dot(a, b))
        : TensorPrimitives.Distance(a, b);

    private static float[] Normalized(float[] vector)
    {
        var result = (float[])vector.Clone();
        float norm = TensorPrimitives.Norm(result);
        if (norm > 0)
            TensorPrimitives.Divide(result, norm, result);
        return result;
    }
}
