using Microsoft.ML;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

[Collection(TrainingCollection.Name)]
public class WordOrderTests
{
    [Fact]
    public void Binary_TinyModelLearnsWordOrder_AndEvaluateReadsTheOutputAsIs()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var train = TinyClassification.Data(ml, TinyClassification.WordOrder(256, seed: 1));
        var test = TinyClassification.Data(ml, TinyClassification.WordOrder(100, seed: 2));
        var options = TinyClassification.Options(baseModel, epochs: 8, label: "JuryFirst");
        options = options with { Training = options.Training with { LearningRate = 5e-3, MinLearningRate = 5e-4 } };
        using var classifier = ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options).Fit(train);

        // Both words are in every text: only their order tells the classes apart.
        var metrics = ml.BinaryClassification.Evaluate(classifier.Transform(test), "JuryFirst");
        Assert.True(metrics.Accuracy >= 0.97, $"accuracy {metrics.Accuracy:P1}, AUC {metrics.AreaUnderRocCurve:F3}");
        Assert.True(metrics.AreaUnderRocCurve >= 0.99, $"AUC {metrics.AreaUnderRocCurve:F3}");
    }
}
