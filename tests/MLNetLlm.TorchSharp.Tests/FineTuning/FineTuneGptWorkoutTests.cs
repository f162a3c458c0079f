using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

[Collection(TrainingCollection.Name)]
public class FineTuneGptWorkoutTests
{
    [Fact]
    public void Multiclass_Workout_SchemaBeforeFitIsAfter_BadColumnsFailClearly_SaveLoadGivesIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(TinyClassification.Data(ml, TinyClassification.Subject(40, seed: 1)))
            .Transform(TinyClassification.Data(ml, TinyClassification.Subject(40, seed: 1)));
        var estimator = ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, epochs: 1));
        var noText = ml.Data.LoadFromEnumerable(new[] { new { Body = "the jury", Label = 1u } });
        var numericText = ml.Data.LoadFromEnumerable(new[] { new { Text = 1f, Label = 1u } });

        using var classifier = EstimatorWorkout.Check(estimator, data, (noText, "'Text'"), (numericText, "'Text'"));

        var scored = classifier.Transform(data);
        var score = scored.Schema["Score"];
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), score.Type);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        score.GetSlotNames(ref slotNames);
        Assert.Equal(classifier.ClassLabels, slotNames.DenseValues().Select(n => n.ToString()));
        Assert.Equal(new[] { "city", "jury", "mayor" }, classifier.ClassLabels.Order());
        Assert.All(DataViewValues.Column<float>(scored, "Score"), p => Assert.Equal(1f, p.Sum(), 4));
        Assert.False(classifier.IsBinary);
    }

    [Fact]
    public void Binary_Workout_SchemaBeforeFitIsAfter_BadColumnsFailClearly_SaveLoadGivesIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var data = TinyClassification.Data(ml, TinyClassification.WordOrder(40, seed: 1));
        var estimator = ml.BinaryClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, epochs: 1, label: "JuryFirst"));
        var noText = ml.Data.LoadFromEnumerable(new[] { new { Body = "the jury", JuryFirst = true } });

        using var classifier = EstimatorWorkout.Check(estimator, data, (noText, "'Text'"));

        var scored = classifier.Transform(data);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Score"].Type);
        Assert.Equal(NumberDataViewType.Single, scored.Schema["Probability"].Type);
        Assert.Equal(BooleanDataViewType.Instance, scored.Schema["PredictedLabel"].Type);
        var scores = DataViewValues.Column<float>(scored, "Score").Select(v => v[0]).ToList();
        var probabilities = DataViewValues.Column<float>(scored, "Probability").Select(v => v[0]).ToList();
        var predicted = DataViewValues.Column<bool>(scored, "PredictedLabel").Select(v => v[0]).ToList();
        for (int i = 0; i < scores.Count; i++)
        {
            Assert.Equal(1 / (1 + MathF.Exp(-scores[i])), probabilities[i], 4); // Score is the log-odds of True
            Assert.Equal(scores[i] > 0, predicted[i]);
        }
        Assert.Equal(["False", "True"], classifier.ClassLabels);
    }
}
