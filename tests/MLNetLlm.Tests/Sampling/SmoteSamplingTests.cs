using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Sampling;
using static MLNetLlm.Tests.Sampling.SamplingTestData;

namespace MLNetLlm.Tests.Sampling;

public class SmoteSamplingTests
{
    private sealed class Point
    {
        public long Id { get; set; }

        public string Label { get; set; } = "";

        public string Note { get; set; } = "";

        [VectorType(2)]
        public float[] Features { get; set; } = [];
    }

    /// <summary>40 majority rows on a line far away, and 12 minority rows scattered in a unit square.</summary>
    private static IDataView Imbalanced(MLContext ml)
    {
        var random = new Random(0);
        var rows = Enumerable.Range(0, 52).Select(i => i < 40
            ? new Point { Id = i, Label = "major", Note = $"n{i}", Features = [100 + i, 100] }
            : new Point { Id = i, Label = "minor", Note = $"n{i}", Features = [random.NextSingle(), random.NextSingle()] });
        return ml.Data.LoadFromEnumerable(rows.ToList());
    }

    [Fact]
    public void Adds_synthetic_minority_rows_until_the_classes_are_equal()
    {
        var ml = new MLContext(seed: 1);
        var data = Imbalanced(ml);
        var sample = ml.Data.Llm.SampleSmote(data, neighborCount: 3, seed: 1);

        Assert.Same(data.Schema, sample.Schema);
        Assert.Equal(80, sample.GetRowCount());
        var points = ml.Data.CreateEnumerable<Point>(sample, reuseRowObject: false).ToArray();
        Assert.Equal(80, points.Length);
        Assert.Equal(40, points.Count(p => p.Label == "major"));
        Assert.Equal(40, points.Count(p => p.Label == "minor"));
        Assert.Equal(Enumerable.Range(0, 52).Select(i => (long)i), points.Select(p => p.Id).Distinct());
        Assert.Equal(points.Select(p => p.Id).Order(), points.Select(p => p.Id));
    }

    [Fact]
    public void A_synthetic_row_lies_between_its_base_row_and_one_of_its_k_nearest_neighbours_and_copies_the_other_columns()
    {
        var ml = new MLContext(seed: 1);
        var data = Imbalanced(ml);
        var originals = ml.Data.CreateEnumerable<Point>(data, reuseRowObject: false).ToArray();
        var minority = originals.Where(p => p.Label == "minor").ToArray();
        var points = ml.Data.CreateEnumerable<Point>(ml.Data.Llm.SampleSmote(data, neighborCount: 3, seed: 2), reuseRowObject: false).ToArray();

        var synthetic = points.Where((p, i) => i > 0 && points[i - 1].Id == p.Id || i > 1 && points[i - 2].Id == p.Id).ToArray();
        Assert.Equal(28, synthetic.Length);
        foreach (var row in synthetic)
        {
            var baseRow = originals[row.Id];
            Assert.Equal(baseRow.Label, row.Label);
            Assert.Equal(baseRow.Note, row.Note);
            var nearest = minority.Where(p => p.Id != baseRow.Id).OrderBy(p => Distance(p.Features, baseRow.Features)).Take(3);
            Assert.Contains(nearest, neighbour => IsOnSegment(row.Features, baseRow.Features, neighbour.Features));
        }
        // Each of the 12 base rows serves 28 / 12 = 2 or 3 synthetic rows.
        Assert.All(synthetic.CountBy(p => p.Id), pair => Assert.InRange(pair.Value, 2, 3));
    }

    private static double Distance(float[] a, float[] b) => Math.Sqrt(a.Zip(b, (x, y) => (x - y) * (x - y)).Sum());

    private static bool IsOnSegment(float[] point, float[] from, float[] to) =>
        Math.Abs(Distance(from, point) + Distance(point, to) - Distance(from, to)) < 1e-4;

    [Fact]
    public void Is_deterministic_for_a_seed_and_different_for_another()
    {
        var ml = new MLContext(seed: 1);
        var data = Imbalanced(ml);
        float[] Features(int seed) => ml.Data.Llm.SampleSmote(data, neighborCount: 3, seed: seed)
            .GetColumn<float[]>("Features").SelectMany(f => f).ToArray();
        Assert.Equal(Features(1), Features(1));
        Assert.NotEqual(Features(1), Features(2));
    }

    [Fact]
    public void Fewer_than_k_plus_one_minority_rows_are_refused_naming_the_class()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SampleSmote(Imbalanced(ml), neighborCount: 12));
        Assert.Equal(nameof(SmoteOptions.NeighborCount), error.ParamName);
        Assert.Contains("class 'minor'", error.Message);
        Assert.Contains("at least 13 rows", error.Message);
    }

    [Fact]
    public void A_feature_column_that_is_not_a_float_vector_or_is_missing_is_refused()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 20, Blocks(14, 6));
        var notVector = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleSmote(data, featureColumnName: "Weight"));
        Assert.Equal(nameof(SmoteOptions.FeatureColumnName), notVector.ParamName);
        Assert.Contains("'Weight'", notVector.Message);
        var missing = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleSmote(data, featureColumnName: "Embedding"));
        Assert.Contains("'Embedding'", missing.Message);
    }

    private sealed class VariablePoint
    {
        public string Label { get; set; } = "";

        public float[] Features { get; set; } = [];
    }

    [Fact]
    public void Minority_vectors_of_different_lengths_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var rows = Enumerable.Range(0, 20).Select(i => new VariablePoint
        {
            Label = i < 14 ? "major" : "minor",
            Features = i == 19 ? [1, 2, 3] : [i, 1],
        });
        var error = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleSmote(ml.Data.LoadFromEnumerable(rows.ToList()), neighborCount: 2));
        Assert.Equal(nameof(SmoteOptions.FeatureColumnName), error.ParamName);
        Assert.Contains("lengths 2 and 3", error.Message);
    }

    [Fact]
    public void An_empty_or_balanced_input_comes_back_unchanged()
    {
        var ml = new MLContext(seed: 1);
        Assert.Empty(Ids(ml.Data.Llm.SampleSmote(Rows(ml, 0))));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => (long)i), Ids(ml.Data.Llm.SampleSmote(Rows(ml, 20, Blocks(10, 10)))));
    }
}
