using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Tests.Training;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

[Collection(TrainingCollection.Name)]
public class FineTuneGptPipelineTests
{
    [Fact]
    public void MapValueToKey_FineTune_MapKeyToValue_EvaluatesAndSavesAndLoadsWithIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var train = TinyClassification.Data(ml, TinyClassification.Subject(96, seed: 1));
        var testRows = TinyClassification.Subject(30, seed: 2);
        testRows.Add(new TinyClassification.SubjectRow { Text = "the court said", Label = "court" }); // a label never seen in training
        var test = TinyClassification.Data(ml, testRows);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, epochs: 6)))
            .Append(ml.Transforms.Conversion.MapKeyToValue("PredictedLabel"));

        var model = pipeline.Fit(train);
        var scored = model.Transform(test);

        // The unseen label maps to the missing key, which the evaluator leaves out; every row still gets a prediction.
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.True(metrics.MacroAccuracy > 0.9, $"macro accuracy {metrics.MacroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
        Assert.Equal(3, metrics.ConfusionMatrix.NumberOfClasses);
        var predicted = DataViewValues.Column<ReadOnlyMemory<char>>(scored, "PredictedLabel").Select(v => v[0].ToString()).ToList();
        Assert.Equal(testRows.Count, predicted.Count);
        Assert.All(predicted, p => Assert.Contains(p, new[] { "jury", "mayor", "city" }));
        Assert.Equal(testRows.Take(30).Count(r => predicted[testRows.IndexOf(r)] == r.Label) / 30.0, metrics.MicroAccuracy, 6);

        var path = Path.Combine(Path.GetTempPath(), $"finetune-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Llm.Save(model, train.Schema, path);
            var loaded = new MLContext(seed: 5).Model.Llm.Load(path, out _);
            var reloaded = loaded.Transform(test);
            Assert.Equal(DataViewValues.Read(scored), DataViewValues.Read(reloaded));
        }
        finally
        {
            File.Delete(path);
        }
        DisposeStages(model);
    }

    [Fact]
    public void BatchedScoring_EqualsOneRowAtATime_AndKeepsLiveTensorsFlat()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var rows = TinyClassification.WordOrder(23, seed: 4);
        var data = TinyClassification.Data(ml, rows);
        using var classifier = ml.BinaryClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, epochs: 1, label: "JuryFirst")).Fit(data);

        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var live = new List<long>();
        for (int pass = 0; pass < 4; pass++)
        {
            _ = DataViewValues.Column<float>(classifier.Transform(data), "Probability");
            live.Add(statistics.ThreadTotalLiveCount);
        }
        Assert.All(live, count => Assert.Equal(0, count));

        var batched = DataViewValues.Column<float>(classifier.Transform(data), "Probability").Select(v => v[0]).ToList();
        var engine = ml.Model.CreatePredictionEngine<TinyClassification.OrderRow, BinaryPrediction>(classifier);
        var single = rows.Select(r => engine.Predict(r).Probability).ToList();
        Assert.Equal(batched.Count, single.Count);
        for (int i = 0; i < single.Count; i++)
            Assert.Equal(single[i], batched[i], 5); // padding to the batch's longest text never changes a score
        Assert.Equal(single[0], classifier.PredictProbabilities(rows[0].Text)[1], 5);
    }

    private static void DisposeStages(ITransformer model)
    {
        foreach (var stage in (IEnumerable<ITransformer>)model)
            (stage as IDisposable)?.Dispose();
    }

    public sealed class BinaryPrediction
    {
        public float Probability { get; set; }
        public float Score { get; set; }
        public bool PredictedLabel { get; set; }
    }
}
