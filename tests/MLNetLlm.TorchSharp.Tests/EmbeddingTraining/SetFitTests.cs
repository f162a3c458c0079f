using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Tests.EncoderClassification;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.EmbeddingTraining;

[Collection(TrainingCollection.Name)]
public class SetFitTests
{
    private static SetFitOptions Options(MLNetLlm.TorchSharp.Embeddings.PretrainedEncoder encoder, string label = "Label") => new()
    {
        BaseEncoder = encoder,
        LabelColumnName = label,
        PairIterations = 2,
        Seed = 3,
        EmbeddingBatchSize = 5,
        Training = new SentenceEmbedderTrainingOptions { BatchSize = 8, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 1 },
    };

    [Fact]
    public void Multiclass_Workout_EvaluatorReadsIt_SaveLoadGivesIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var before = encoder.Embed(["the cat", "a dog"]);
        var rows = TinyEncoderClassification.Subject(18, seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var estimator = ml.MulticlassClassification.Trainers.Llm.SetFit(Options(encoder));
        var noText = ml.Data.LoadFromEnumerable(new[] { new { Body = "the cat", Label = 1u } });
        var numericText = ml.Data.LoadFromEnumerable(new[] { new { Text = 1f, Label = 1u } });

        using var setFit = EstimatorWorkout.Check(estimator, data, (noText, "'Text'"), (numericText, "'Text'"));

        var scored = setFit.Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Score"].Type);
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        Assert.Equal(72, setFit.Report!.TrainingPairs); // 2 rounds × 18 texts × (positive + negative)
        Assert.Equal(before, encoder.Embed(["the cat", "a dog"]));
        Assert.False(setFit.IsBinary);
    }

    [Fact]
    public void Binary_Workout_EvaluatorReadsItsProbability()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(16, seed: 2));
        var estimator = ml.BinaryClassification.Trainers.Llm.SetFit(Options(encoder, label: "IsCat"));
        var noText = ml.Data.LoadFromEnumerable(new[] { new { Body = "the cat", IsCat = true } });

        using var setFit = EstimatorWorkout.Check(estimator, data, (noText, "'Text'"));

        var scored = setFit.Transform(data);
        var metrics = ml.BinaryClassification.Evaluate(scored, labelColumnName: "IsCat");
        // The head learns from the embeddings: with an L1 penalty of 1 (ML.NET's default) it kept every weight at 0
        // and gave every row the same score.
        Assert.True(DataViewValues.Column<float>(scored, "Score").Select(s => s[0]).Distinct().Count() > 1, "every row got the same score");
        var head = Assert.IsAssignableFrom<ISingleFeaturePredictionTransformer<Microsoft.ML.Calibrators.CalibratedModelParametersBase<Microsoft.ML.Trainers.LinearBinaryModelParameters, Microsoft.ML.Calibrators.PlattCalibrator>>>(setFit.Head);
        Assert.DoesNotContain(0f, head.Model.SubModel.Weights); // L2 only: an L1 penalty zeroes weights
        Assert.InRange(metrics.AreaUnderRocCurve, 0.75, 1);
        Assert.Equal(["False", "True"], setFit.ClassLabels);
        var engine = ml.Model.CreatePredictionEngine<TextRow, BinaryPrediction>(setFit);
        var one = engine.Predict(new TextRow { Text = "the cat is red" });
        Assert.InRange(one.Probability, 0, 1);
        Assert.Equal(one.Probability > 0.5f, one.PredictedLabel);
    }

    private sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    private sealed class BinaryPrediction
    {
        public bool PredictedLabel { get; set; }
        public float Probability { get; set; }
    }

    [Fact]
    public void SameSeed_GivesIdenticalScores()
    {
        float[][] Train()
        {
            var ml = new MLContext(seed: 1);
            using var encoder = TinyEncoderClassification.Encoder();
            var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(12, seed: 2));
            using var setFit = ml.BinaryClassification.Trainers.Llm.SetFit(Options(encoder, label: "IsCat")).Fit(data);
            return [.. DataViewValues.Column<float>(setFit.Transform(data), "SetFitEmbedding"), [.. DataViewValues.Column<float>(setFit.Transform(data), "Probability").Select(p => p[0])]];
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void ASingleClass_IsRefused_NamingTheLabel()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyEncoderClassification.Subject(8, seed: 1).Select(r => new { r.Text, IsCat = true });

        var error = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.Llm.SetFit(Options(encoder, label: "IsCat")).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("single class in label 'IsCat' ('True')", error.Message);
    }

    [Fact]
    public void AnEmptyText_IsRefused_NamingTheRow()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyEncoderClassification.Subject(8, seed: 1);
        rows[5].Text = "";

        var error = Assert.ThrowsAny<ArgumentException>(() => ml.BinaryClassification.Trainers.Llm.SetFit(Options(encoder, label: "IsCat")).Fit(ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Row 5 of the training data has an empty text in column 'Text'", error.Message);
    }

    [Fact]
    public void AWrongLabelType_FailsBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(8, seed: 1));
        var multiclass = ml.MulticlassClassification.Trainers.Llm.SetFit(Options(encoder));
        var binary = ml.BinaryClassification.Trainers.Llm.SetFit(Options(encoder));

        Assert.Contains("MapValueToKey(\"Label\")", Assert.ThrowsAny<ArgumentException>(() => multiclass.GetOutputSchema(EstimatorWorkout.ShapeOf(data.Schema))).Message);
        Assert.Contains("must be Boolean", Assert.ThrowsAny<ArgumentException>(() => binary.Fit(data)).Message);
    }
}
