using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Tests.EncoderClassification;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.EmbeddingTraining;

[Collection(TrainingCollection.Name)]
public class TrainSentenceEmbedderBadInputTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void PairColumnsOfDifferentTypes_FailBeforeTraining_NamingTheColumn()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var estimator = _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder));
        var data = _ml.Data.LoadFromEnumerable(new[] { new { Anchor = "the cat", Positive = new[] { 1f, 2f } }, new { Anchor = "a dog", Positive = new[] { 3f, 4f } } });

        var shape = Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(EstimatorWorkout.ShapeOf(data.Schema)));
        var fit = Assert.ThrowsAny<ArgumentException>(() => estimator.Fit(data));

        Assert.Contains("'Positive'", shape.Message);
        Assert.Contains("text", fit.Message);
    }

    [Fact]
    public void MissingColumns_FailBeforeTraining_NamingThem()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var data = _ml.Data.LoadFromEnumerable(TinyPairs.Rows(4, seed: 1));
        var withNegative = _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { NegativeColumnName = "Hard" });
        var fromLabels = _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { LabelColumnName = "Class", TextColumnName = "Anchor" });
        var withTarget = _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, loss: SentenceEmbeddingLoss.CosineSimilarity) with { TargetColumnName = "Topic" });

        Assert.Contains("'Hard'", Assert.ThrowsAny<ArgumentException>(() => withNegative.Fit(data)).Message);
        Assert.Contains("'Class'", Assert.ThrowsAny<ArgumentException>(() => fromLabels.GetOutputSchema(EstimatorWorkout.ShapeOf(data.Schema))).Message);
        Assert.Contains("'Topic' must be a Single, Double or Boolean target", Assert.ThrowsAny<ArgumentException>(() => withTarget.Fit(data)).Message);
    }

    [Fact]
    public void ASinglePair_ForMultipleNegativesRanking_SaysItHasNoNegatives()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var data = _ml.Data.LoadFromEnumerable(TinyPairs.Rows(1, seed: 1));

        var error = Assert.ThrowsAny<ArgumentException>(() => _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder)).Fit(data));

        Assert.Contains("at least two pairs", error.Message);
        Assert.Contains("has none", error.Message);
    }

    [Fact]
    public void ABatchSizeOfOne_ForMultipleNegativesRanking_IsRefused_ButHardNegativesMakeItWork()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var data = _ml.Data.LoadFromEnumerable(TinyPairs.Rows(4, seed: 1));
        var options = TinyPairs.Options(encoder, epochs: 1);
        options = options with { Training = options.Training with { BatchSize = 1 } };

        var error = Assert.ThrowsAny<ArgumentException>(() => _ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(data));
        using var withNegatives = _ml.Transforms.Llm.TrainSentenceEmbedder(options with { NegativeColumnName = "Negative" }).Fit(data);

        Assert.Contains("BatchSize of at least 2", error.Message);
        Assert.Equal(4, withNegatives.Report!.History.Records.Count);
    }

    [Fact]
    public void ASingleClass_FromLabels_IsRefused()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyEncoderClassification.Subject(6, seed: 1).Select(r => new { r.Text, Label = "cat" });
        var options = TinyPairs.Options(encoder, loss: SentenceEmbeddingLoss.CosineSimilarity) with { LabelColumnName = "Label" };

        var error = Assert.ThrowsAny<ArgumentException>(() => _ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(_ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("single class in label 'Label'", error.Message);
    }

    [Theory]
    [InlineData("Anchor")]
    [InlineData("Positive")]
    [InlineData("Negative")]
    public void AnEmptyText_InAnyPairColumn_IsRefused_NamingColumnAndRow(string column)
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyPairs.Rows(4, seed: 1);
        typeof(TinyPairs.PairRow).GetProperty(column)!.SetValue(rows[2], "  ");

        var error = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { NegativeColumnName = "Negative" }).Fit(_ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains($"Row 2 of the training data has an empty text in column '{column}'", error.Message);
    }

    [Fact]
    public void AnEmptyText_WithLabels_IsRefused()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyEncoderClassification.Subject(6, seed: 1);
        rows[3].Text = null;

        var error = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { LabelColumnName = "Label" }).Fit(_ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Row 3 of the training data has an empty text in column 'Text'", error.Message);
    }

    [Fact]
    public void ContradictoryOptions_AreRefusedWhenTheEstimatorIsMade()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        Assert.Contains("CosineSimilarityLoss needs targets", Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, loss: SentenceEmbeddingLoss.CosineSimilarity))).Message);
        Assert.Contains("TargetColumnName is for CosineSimilarityLoss", Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { TargetColumnName = "Score" })).Message);
        Assert.Contains("must differ", Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { PositiveColumnName = "Anchor" })).Message);
        Assert.Contains("Scale", Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { Scale = 0 })).Message);
    }

    [Fact]
    public void ATargetOutsideMinusOneToOne_IsRefused()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = new[] { new { Anchor = "the cat", Positive = "a cat", Score = 0.5f }, new { Anchor = "the dog", Positive = "a sky", Score = 3f } };
        var options = TinyPairs.Options(encoder, loss: SentenceEmbeddingLoss.CosineSimilarity) with { TargetColumnName = "Score" };

        var error = Assert.ThrowsAny<ArgumentException>(() => _ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(_ml.Data.LoadFromEnumerable(rows)));

        Assert.Contains("Row 1", error.Message);
        Assert.Contains("[-1, 1]", error.Message);
    }

    [Fact]
    public void AValidationSetWithoutThePairColumns_IsRefusedBeforeTraining_NamingIt()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var data = _ml.Data.LoadFromEnumerable(TinyPairs.Rows(6, seed: 1));
        var validation = _ml.Data.LoadFromEnumerable(new[] { new { Anchor = "the cat", Answer = "a cat" } });

        var error = Assert.ThrowsAny<ArgumentException>(() =>
            _ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder) with { ValidationSet = validation }).Fit(data));

        Assert.Contains("ValidationSet", error.Message);
        Assert.Contains("'Positive'", error.Message);
    }
}
