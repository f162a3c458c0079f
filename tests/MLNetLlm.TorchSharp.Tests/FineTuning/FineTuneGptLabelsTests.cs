using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

[Collection(TrainingCollection.Name)]
public class FineTuneGptLabelsTests
{
    [Fact]
    public void ClassLabels_AreTheKeyValuesAsText_AlsoForNumericLabels()
    {
        var ml = new MLContext(seed: 1);
        var numbers = ml.Data.LoadFromEnumerable(new[] { new { Label = 30 }, new { Label = 10 }, new { Label = 20 } });
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(numbers).Transform(numbers);
        Assert.Equal(["30", "10", "20"], ClassifierLabels.Of(keyed.Schema, "Label", binary: false, "FineTuneGpt").Names);

        var words = ml.Data.LoadFromEnumerable(new[] { new { Label = "ham" }, new { Label = "spam" } });
        keyed = ml.Transforms.Conversion.MapValueToKey("Label").Fit(words).Transform(words);
        Assert.Equal(["ham", "spam"], ClassifierLabels.Of(keyed.Schema, "Label", binary: false, "FineTuneGpt").Names);
    }

    [Fact]
    public void SeedComesFromTheMLContext_SoAPipelineIsReproducible()
    {
        float[] Probabilities(int contextSeed)
        {
            var ml = new MLContext(seed: contextSeed);
            using var baseModel = TinyClassification.BaseModel();
            var data = TinyClassification.Data(ml, TinyClassification.WordOrder(32, seed: 1));
            using var classifier = ml.BinaryClassification.Trainers.Llm
                .FineTuneGpt(TinyClassification.Options(baseModel, epochs: 1, label: "JuryFirst") with { Seed = null }).Fit(data);
            return [.. DataViewValues.Column<float>(classifier.Transform(data), "Probability").Select(v => v[0])];
        }
        Assert.Equal(Probabilities(3), Probabilities(3));
        Assert.NotEqual(Probabilities(3), Probabilities(4));
    }
}
