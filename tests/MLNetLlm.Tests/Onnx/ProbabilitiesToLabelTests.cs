using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Tests.Onnx;

public class ProbabilitiesToLabelTests
{
    private sealed class Row
    {
        public string Label { get; set; } = "";

        [VectorType(3)]
        public float[] probabilities { get; set; } = [];
    }

    private sealed class ShortRow
    {
        [VectorType(2)]
        public float[] probabilities { get; set; } = [];
    }

    private sealed class TextRow
    {
        public string probabilities { get; set; } = "";
    }

    private static readonly string[] Labels = ["ham", "spam", "other"];

    private static IDataView Data(MLContext ml) => ml.Data.LoadFromEnumerable(new[]
    {
        new Row { Label = "ham", probabilities = [0.7f, 0.2f, 0.1f] },
        new Row { Label = "spam", probabilities = [0.1f, 0.6f, 0.3f] },
        new Row { Label = "other", probabilities = [0.2f, 0.5f, 0.3f] },
        new Row { Label = "other", probabilities = [0.1f, 0.1f, 0.8f] },
    });

    [Fact]
    public void Workout_PredictedLabelIsAKeyOverTheLabels_AndScoreKeepsTheProbabilities()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var bad = ml.Data.LoadFromEnumerable(new[] { new TextRow { probabilities = "0.5" } });
        var estimator = ml.Transforms.Llm.MapProbabilitiesToLabel(Labels);
        var transformer = EstimatorWorkout.Check(estimator, data, (bad, "probabilities"));
        // A schema shape has no vector size: a vector of the wrong length is refused by Fit.
        var twoClasses = ml.Data.LoadFromEnumerable(new[] { new ShortRow { probabilities = [0.5f, 0.5f] } });
        Assert.Contains("vector of 3 Single", Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(twoClasses)).Message);

        var scored = transformer.Transform(data);
        Assert.Equal([1u, 2u, 2u, 3u], DataViewValues.Column<uint>(scored, "PredictedLabel").Select(v => v[0]));
        Assert.Equal(0.6f, DataViewValues.Column<float>(scored, "Score")[1][1]);

        VBuffer<ReadOnlyMemory<char>> keyValues = default;
        scored.Schema["PredictedLabel"].GetKeyValues(ref keyValues);
        Assert.Equal(Labels, keyValues.DenseValues().Select(v => v.ToString()));

        var named = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(scored).Transform(scored);
        Assert.Equal(["ham", "spam", "spam", "other"], DataViewValues.Column<ReadOnlyMemory<char>>(named, "PredictedText").Select(v => v[0].ToString()));
    }

    [Fact]
    public void Output_WorksWithMulticlassEvaluate()
    {
        var ml = new MLContext(seed: 1);
        var data = Data(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(Labels.Select(l => new { Label = l })))
            .Append(ml.Transforms.Llm.MapProbabilitiesToLabel(Labels));
        var metrics = ml.MulticlassClassification.Evaluate(pipeline.Fit(data).Transform(data));
        Assert.Equal(0.75, metrics.MicroAccuracy, 6); // rows 0, 1, 3 right; row 2 predicts spam for other
    }

    [Fact]
    public void BadLabels_AreRefusedByName()
    {
        var ml = new MLContext();
        Assert.Equal("classLabels", Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.MapProbabilitiesToLabel(["a", "a"])).ParamName);
        Assert.Equal("classLabels", Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.MapProbabilitiesToLabel([])).ParamName);
    }
}
