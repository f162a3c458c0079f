using Microsoft.ML;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

[Collection(TrainingCollection.Name)]
public class WordOrderTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public void Binary_TinyModelLearnsWordOrder_AndEvaluateReadsTheOutputAsIs()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var train = TinyClassification.Data(ml, TinyClassification.WordOrder(320, seed: 1));
        var test = TinyClassification.Data(ml, TinyClassification.WordOrder(100, seed: 2));
        var options = TinyClassification.Options(baseModel, epochs: 10, label: "JuryFirst");
        var w = System.Diagnostics.Stopwatch.StartNew();
        using var classifier = ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options).Fit(train);
        output.WriteLine($"fit {w.Elapsed} {classifier.Training!.History.Records.Count} steps, last loss {classifier.Training.History.Records[^1].TrainLoss}");

        var metrics = ml.BinaryClassification.Evaluate(classifier.Transform(test), "JuryFirst");
        output.WriteLine($"eval {w.Elapsed} acc {metrics.Accuracy}");
        Assert.True(metrics.Accuracy >= 0.95, $"accuracy {metrics.Accuracy:P1}, AUC {metrics.AreaUnderRocCurve:F3}");
        Assert.True(metrics.AreaUnderRocCurve >= 0.98, $"AUC {metrics.AreaUnderRocCurve:F3}");
    }
}
