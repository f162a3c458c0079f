using System.Numerics.Tensors;
using MLNetLlm.Search;

namespace MLNetLlm.Search.Tests;

/// <summary>Seeded random vectors (normalised, as sentence embeddings are) and a plain reference search to compare with.</summary>
internal static class TestVectors
{
    public static float[][] Normalised(int count, int dimension, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            var v = new float[dimension];
            for (var d = 0; d < dimension; d++)
                v[d] = (float)(random.NextDouble() * 2 - 1);
            TensorPrimitives.Divide(v, TensorPrimitives.Norm(v), v);
            vectors[i] = v;
        }
        return vectors;
    }

    public static List<VectorDocument> Documents(float[][] vectors, Func<int, string?>? metadata = null) =>
        [.. vectors.Select((v, i) => new VectorDocument($"doc{i}", v, $"text {i}", metadata?.Invoke(i)))];

    /// <summary>The ids of the k best documents by a straightforward loop, best first.</summary>
    public static string[] Reference(float[][] vectors, float[] query, int k, VectorMetric metric) =>
        [.. vectors.Select((v, i) => (Id: $"doc{i}", Score: metric switch
            {
                VectorMetric.Cosine => TensorPrimitives.CosineSimilarity(v, query),
                VectorMetric.DotProduct => TensorPrimitives.Dot(v, query),
                _ => -MathF.Pow(TensorPrimitives.Distance(v, query), 2),
            }))
            .OrderByDescending(x => x.Score).Take(k).Select(x => x.Id)];

    public static string TempFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "mlnetllm-search-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }
}
