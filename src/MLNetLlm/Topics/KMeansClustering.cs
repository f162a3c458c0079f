using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers;

namespace MLNetLlm.Topics;

/// <summary>Clusters points with ML.NET's KMeans trainer (k-means++ initialisation) and returns its centroids.</summary>
internal static class KMeansClustering
{
    public static float[][] Centroids(float[][] points, int k, int seed)
    {
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(PointRow));
        schema[nameof(PointRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, points[0].Length);
        var data = ml.Data.LoadFromEnumerable(points.Select(p => new PointRow { Features = p }), schema);
        var trainer = ml.Clustering.Trainers.KMeans(new KMeansTrainer.Options
        {
            FeatureColumnName = nameof(PointRow.Features),
            NumberOfClusters = k,
            InitializationAlgorithm = KMeansTrainer.InitializationAlgorithm.KMeansPlusPlus,
            NumberOfThreads = 1, // deterministic for a seed
        });
        VBuffer<float>[] centroids = [];
        trainer.Fit(data).Model.GetClusterCentroids(ref centroids, out int found);
        return centroids.Take(found).Select(c => c.DenseValues().ToArray()).ToArray();
    }

    /// <summary>The index of the centroid nearest <paramref name="point"/> (squared Euclidean), as KMeans predicts.</summary>
    public static int Nearest(float[][] centroids, ReadOnlySpan<float> point)
    {
        int best = 0;
        float bestDistance = float.PositiveInfinity;
        for (int c = 0; c < centroids.Length; c++)
        {
            float d = System.Numerics.Tensors.TensorPrimitives.Distance(centroids[c], point);
            if (d < bestDistance)
                (best, bestDistance) = (c, d);
        }
        return best;
    }

    private sealed class PointRow
    {
        public float[] Features { get; set; } = [];
    }
}
