using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Topics;

/// <summary>
/// The affine map <c>y = W·x + b</c> a fitted ML.NET PCA applies (<c>ProjectToPrincipalComponents</c>, which centres on
/// the training mean). ML.NET does not expose the eigenvectors, so they are read back by transforming the zero vector
/// (giving <c>b</c>) and each unit vector (giving <c>W</c>'s columns plus <c>b</c>); the map is then applied here, row by
/// row, and saved with the model as plain numbers.
/// </summary>
internal sealed record PcaProjection(float[][] Weights, float[] Offset)
{
    /// <summary>Output dimensions.</summary>
    public int Rank => Offset.Length;

    /// <summary>The identity map of <paramref name="dimensions"/> (no reduction).</summary>
    public static PcaProjection Identity(int dimensions) => new(
        Enumerable.Range(0, dimensions).Select(i => { var row = new float[dimensions]; row[i] = 1; return row; }).ToArray(),
        new float[dimensions]);

    /// <summary>Fits ML.NET's randomized PCA of rank <paramref name="rank"/> on <paramref name="vectors"/>.</summary>
    public static PcaProjection Fit(float[][] vectors, int rank, int seed)
    {
        int size = vectors[0].Length;
        var ml = new MLContext(seed);
        var schema = SchemaDefinition.Create(typeof(VectorRow));
        schema[nameof(VectorRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, size);
        var data = ml.Data.LoadFromEnumerable(vectors.Select(v => new VectorRow { Features = v }), schema);
        var pca = ml.Transforms.ProjectToPrincipalComponents("Projected", nameof(VectorRow.Features), rank: rank, seed: seed).Fit(data);

        var probes = new float[size + 1][];
        probes[0] = new float[size];
        for (int i = 0; i < size; i++)
        {
            probes[i + 1] = new float[size];
            probes[i + 1][i] = 1;
        }
        var projected = pca.Transform(ml.Data.LoadFromEnumerable(probes.Select(v => new VectorRow { Features = v }), schema))
            .GetColumn<float[]>("Projected").ToArray();
        var offset = projected[0];
        var weights = new float[rank][];
        for (int r = 0; r < rank; r++)
        {
            weights[r] = new float[size];
            for (int i = 0; i < size; i++)
                weights[r][i] = projected[i + 1][r] - offset[r];
        }
        return new PcaProjection(weights, offset);
    }

    /// <summary>Projects one vector.</summary>
    public float[] Apply(ReadOnlySpan<float> vector)
    {
        var result = new float[Rank];
        for (int r = 0; r < Rank; r++)
            result[r] = System.Numerics.Tensors.TensorPrimitives.Dot(Weights[r], vector) + Offset[r];
        return result;
    }

    private sealed class VectorRow
    {
        public float[] Features { get; set; } = [];
    }
}
