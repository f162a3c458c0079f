using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

[Collection(TrainingCollection.Name)]
public class FineTuneGptBadInputTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void LabelColumn_MissingOrOfAnUnsupportedType_FailsBeforeTrainingNamingIt()
    {
        using var baseModel = TinyClassification.BaseModel();
        var multiclass = _ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel));
        var binary = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel));

        var noLabel = _ml.Data.LoadFromEnumerable(new[] { new { Text = "the jury" } });
        var floatLabel = _ml.Data.LoadFromEnumerable(new[] { new { Text = "the jury", Label = 1f } });
        var stringLabel = _ml.Data.LoadFromEnumerable(new[] { new { Text = "the jury", Label = "jury" } });
        var keyLabel = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(stringLabel).Transform(stringLabel);

        AssertFails(multiclass, noLabel, "label column 'Label' was not found");
        AssertFails(multiclass, floatLabel, "'Label' must be a key");
        AssertFails(multiclass, stringLabel, "MapValueToKey(\"Label\")");
        AssertFails(binary, keyLabel, "'Label' must be Boolean");
        AssertFails(binary, floatLabel, "'Label' must be Boolean");
    }

    [Fact]
    public void TrainingData_EmptyOrOfOneClassOrWithoutLabels_FailsNamingTheProblem()
    {
        using var baseModel = TinyClassification.BaseModel();
        var binary = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, label: "JuryFirst"));
        var empty = _ml.Data.LoadFromEnumerable(new List<TinyClassification.OrderRow>());
        var oneClass = _ml.Data.LoadFromEnumerable(TinyClassification.WordOrder(20, seed: 1).Where(r => r.JuryFirst));

        Assert.Contains("no rows", Assert.Throws<ArgumentException>(() => binary.Fit(empty)).Message);
        Assert.Contains("single class in label 'JuryFirst' ('True')", Assert.Throws<ArgumentException>(() => binary.Fit(oneClass)).Message);

        // Rows whose key is missing (a value the key mapping did not see) are skipped; with none left, there is nothing to learn.
        var mapping = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(TinyClassification.Data(_ml, TinyClassification.Subject(20, seed: 1)));
        var unknown = mapping.Transform(_ml.Data.LoadFromEnumerable(new[] { new TinyClassification.SubjectRow { Text = "the court", Label = "court" } }));
        var multiclass = _ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel));
        Assert.Contains("every training row's label 'Label' is missing", Assert.Throws<ArgumentException>(() => multiclass.Fit(unknown)).Message);
    }

    [Fact]
    public void LoraRank_ZeroOrWiderThanTheModel_IsRefusedNamingTheOption()
    {
        using var baseModel = TinyClassification.BaseModel();
        var options = TinyClassification.Options(baseModel, label: "JuryFirst");
        var zero = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(
            options with { Training = options.Training with { Parameters = FineTuneParameters.LoRA, LoraRank = 0 } }));
        Assert.Equal("LoraRank", zero.ParamName);

        var wide = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(
            options with { Training = options.Training with { Parameters = FineTuneParameters.LoRA, LoraRank = TinyGpt.Config.EmbeddingSize + 1 } });
        var error = Assert.ThrowsAny<ArgumentOutOfRangeException>(() => wide.Fit(TinyClassification.Data(_ml, TinyClassification.WordOrder(20, seed: 1))));
        Assert.Equal("LoraRank", error.ParamName);
        Assert.Contains($"[1, {TinyGpt.Config.EmbeddingSize}]", error.Message);
    }

    [Fact]
    public void Tokenizer_OfAnotherVocabularyThanTheBaseModel_IsRefused()
    {
        using var baseModel = TinyClassification.BaseModel();
        var options = TinyClassification.Options(baseModel, label: "JuryFirst") with { Tokenizer = LlmTokenizers.Gpt2() };
        var error = Assert.Throws<ArgumentException>(() => _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options)
            .Fit(TinyClassification.Data(_ml, TinyClassification.WordOrder(20, seed: 1))));
        Assert.Equal("Tokenizer", error.ParamName);
        Assert.Contains("another vocabulary", error.Message);
    }

    [Fact]
    public void Options_TwoBaseModelsOrTwoKindsOfClassWeights_AreRefused()
    {
        using var baseModel = TinyClassification.BaseModel();
        var options = TinyClassification.Options(baseModel);
        Assert.Equal("BaseModelPath", Assert.Throws<ArgumentException>(() =>
            _ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(options with { BaseModelPath = "somewhere" })).ParamName);
        Assert.Equal("BalanceClasses", Assert.Throws<ArgumentException>(() =>
            _ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(options with { BalanceClasses = true, Training = options.Training with { ClassWeights = [1.0, 2.0, 3.0] } })).ParamName);
        Assert.Throws<DirectoryNotFoundException>(() => _ml.MulticlassClassification.Trainers.Llm
            .FineTuneGpt(options with { BaseModel = null, BaseModelPath = Path.Combine(Path.GetTempPath(), "no-such-model-folder") })
            .Fit(_ml.Transforms.Conversion.MapValueToKey("Label").Fit(TinyClassification.Data(_ml, TinyClassification.Subject(8, 1))).Transform(TinyClassification.Data(_ml, TinyClassification.Subject(8, 1)))));
    }

    [Fact]
    public void TokenColumn_PaddedWithoutMaskOrWithIdsOutsideTheVocabulary_FailsNamingTheColumn()
    {
        using var baseModel = TinyClassification.BaseModel();
        var rows = TinyClassification.Data(_ml, TinyClassification.WordOrder(20, seed: 1));
        var padded = _ml.Transforms.Llm.Tokenize("Tokens", "Text", TinyGpt.Tokenizer, padToLength: 12).Fit(rows).Transform(rows);
        var options = TinyClassification.Options(baseModel, label: "JuryFirst") with { TextColumnName = null, TokenColumnName = "Tokens" };
        var noMask = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options);
        Assert.Contains("AttentionMaskColumnName", Assert.ThrowsAny<ArgumentException>(() => noMask.GetOutputSchema(EstimatorWorkout.ShapeOf(padded.Schema))).Message);
        Assert.Contains("AttentionMaskColumnName", Assert.ThrowsAny<ArgumentException>(() => noMask.Fit(padded)).Message);

        var outside = _ml.Data.LoadFromEnumerable(new[]
        {
            new IdRow { Tokens = [5, 9_999], JuryFirst = true },
            new IdRow { Tokens = [6, 7], JuryFirst = false },
        });
        var error = Assert.Throws<InvalidOperationException>(() => _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options).Fit(outside));
        Assert.Contains("column 'Tokens' holds token id 9999", error.Message);
    }

    [Fact]
    public void ValidationSet_WithAnotherLabelMapping_IsRefused()
    {
        using var baseModel = TinyClassification.BaseModel();
        var train = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(TinyClassification.Data(_ml, TinyClassification.Subject(20, 1))).Transform(TinyClassification.Data(_ml, TinyClassification.Subject(20, 1)));
        var twoClasses = TinyClassification.Subject(20, 2).Where(r => r.Label != "city").ToList();
        var validation = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(TinyClassification.Data(_ml, twoClasses)).Transform(TinyClassification.Data(_ml, twoClasses));
        var error = Assert.Throws<ArgumentException>(() => _ml.MulticlassClassification.Trainers.Llm
            .FineTuneGpt(TinyClassification.Options(baseModel) with { ValidationSet = validation }).Fit(train));
        Assert.Equal("ValidationSet", error.ParamName);
        Assert.Contains("same MapValueToKey", error.Message);
    }

    [Fact]
    public void Cancellation_MidEpoch_ThrowsAndKeepsTheCheckpointOfTheLastStep()
    {
        using var baseModel = TinyClassification.BaseModel();
        using var folder = new TemporaryDirectory();
        using var cancel = new CancellationTokenSource();
        var options = TinyClassification.Options(baseModel, epochs: 3, label: "JuryFirst");
        options = options with
        {
            CancellationToken = cancel.Token,
            Progress = new Synchronous(p => { if (p.Step == 2) cancel.Cancel(); }),
            Training = options.Training with { CheckpointDirectory = folder.Path },
        };
        Assert.ThrowsAny<OperationCanceledException>(() => _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options)
            .Fit(TinyClassification.Data(_ml, TinyClassification.WordOrder(64, seed: 1)))); // 4 steps an epoch: cancelled in the first
        Assert.True(Directory.Exists(Path.Combine(folder.Path, "step-00000002")), string.Join(", ", Directory.GetDirectories(folder.Path)));
    }

    [Fact]
    public void NaNLoss_StopsWithTrainingDiverged_AndKeepsEarlierCheckpoints()
    {
        using var baseModel = TinyClassification.BaseModel();
        using var folder = new TemporaryDirectory();
        var options = TinyClassification.Options(baseModel, epochs: 3, label: "JuryFirst");
        options = options with { Training = options.Training with { InjectNaNAtStep = step => step == 3, CheckpointDirectory = folder.Path, CheckpointEveryNSteps = 1 } };
        var error = Assert.Throws<TrainingDivergedException>(() => _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options)
            .Fit(TinyClassification.Data(_ml, TinyClassification.WordOrder(64, seed: 1))));
        Assert.Equal(3, error.Step);
        Assert.NotNull(error.LastGoodCheckpoint);
        Assert.True(Directory.Exists(error.LastGoodCheckpoint));
    }

    private static void AssertFails<T>(IEstimator<T> estimator, IDataView data, string expected) where T : class, ITransformer
    {
        Assert.Contains(expected, Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(EstimatorWorkout.ShapeOf(data.Schema))).Message);
        Assert.Contains(expected, Assert.ThrowsAny<ArgumentException>(() => estimator.Fit(data)).Message);
    }

    private sealed class Synchronous(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    public sealed class IdRow
    {
        [Microsoft.ML.Data.VectorType]
        public long[] Tokens { get; set; } = [];
        public bool JuryFirst { get; set; }
    }
}
