using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.Pretraining;

public class PretrainGptBadInputTests
{
    [Fact]
    public void EmptyTrainingSet_FailsClearly()
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(new List<TinyGpt.Doc>());
        var error = Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.Llm.PretrainGpt(TinyGpt.Options()).Fit(empty));
        Assert.Contains("training set is empty", error.Message);
    }

    [Fact]
    public void TextsShorterThanOneWindow_FailClearly()
    {
        var ml = new MLContext(seed: 1);
        var tiny = ml.Data.LoadFromEnumerable(Enumerable.Range(0, 3).Select(_ => new TinyGpt.Doc { Text = "Yes." }));
        var error = Assert.ThrowsAny<ArgumentException>(() => ml.Transforms.Llm.PretrainGpt(TinyGpt.Options()).Fit(tiny));
        Assert.Contains("shorter than one window", error.Message);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    public void ValidationFractionOf0Or1_IsRejectedWhenTheEstimatorIsMade(double fraction)
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.PretrainGpt(TinyGpt.Options() with { ValidationFraction = fraction }));
        Assert.Equal("ValidationFraction", error.ParamName);
    }

    [Fact]
    public void ContextLongerThanTheModels_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.PretrainGpt(TinyGpt.Options() with { ContextLength = 17 }));
        Assert.Contains("larger than the model's context (16)", error.Message);
    }

    [Fact]
    public void CheckpointOfAnotherConfigurationOrVocabulary_IsRejectedBeforeTraining()
    {
        using var folder = new TemporaryDirectory();
        using (var model = new GptModel(TinyGpt.Config, seed: 1))
            GptCheckpoint.Save(model, folder.Path, TinyGpt.Tokenizer);
        var ml = new MLContext(seed: 1);
        var data = TinyGpt.Data(ml);
        int steps = 0;
        var progress = new Progress(() => steps++);

        var otherShape = TinyGpt.Options() with { InitialModelPath = folder.Path, Model = TinyGpt.Config with { Layers = 3 }, Progress = progress };
        var shapeError = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.PretrainGpt(otherShape).Fit(data));
        Assert.Contains("another configuration", shapeError.Message);

        var otherTokenizer = BpeTrainer.Train(TinyGpt.Corpus(40, seed: 9).Select(d => d.Text.ToUpperInvariant()), new BpeTrainerOptions { VocabularySize = 300 });
        var vocabularyError = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.PretrainGpt(TinyGpt.Options() with { InitialModelPath = folder.Path, Model = null, Tokenizer = otherTokenizer, Progress = progress }).Fit(data));
        Assert.Contains("another vocabulary", vocabularyError.Message);

        var largerTokenizer = BpeTrainer.Train(TinyGpt.Corpus(40).Select(d => d.Text), new BpeTrainerOptions { VocabularySize = 320 });
        var sizeError = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.PretrainGpt(TinyGpt.Options() with { InitialModelPath = folder.Path, Model = null, Tokenizer = largerTokenizer, Progress = progress }).Fit(data));
        Assert.Contains("another vocabulary", sizeError.Message);
        Assert.Equal(0, steps);
    }

    [Fact]
    public void ContinuingFromACheckpoint_StartsFromItsWeights()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        var data = TinyGpt.Data(ml);
        using (var first = ml.Transforms.Llm.PretrainGpt(TinyGpt.Options(steps: 20)).Fit(data))
            GptCheckpoint.Save(first.Model, folder.Path, first.Tokenizer);
        using var fresh = ml.Transforms.Llm.PretrainGpt(TinyGpt.Options(steps: 1)).Fit(data);
        using var continued = ml.Transforms.Llm.PretrainGpt(TinyGpt.Options(steps: 1) with { InitialModelPath = folder.Path, Model = null, Tokenizer = null }).Fit(data);
        Assert.True(continued.Training!.ValidationBefore.Loss < fresh.Training!.ValidationBefore.Loss - 0.5);
    }

    [Fact]
    public void UnwritableCheckpointFolder_FailsBeforeTrainingStarts()
    {
        using var folder = new TemporaryDirectory();
        var blocker = folder.Sub("a-file");
        File.WriteAllText(blocker, "not a folder");
        var ml = new MLContext(seed: 1);
        int steps = 0;
        var options = TinyGpt.Options() with
        {
            Progress = new Progress(() => steps++),
            Training = TinyGpt.Options().Training with { CheckpointDirectory = Path.Combine(blocker, "checkpoints") },
        };
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.PretrainGpt(options).Fit(TinyGpt.Data(ml)));
        Assert.Contains("not writable", error.Message);
        Assert.Equal(0, steps);
    }

    [Fact]
    public void CancellationMidEpoch_StopsWithACheckpointOfTheLastStep()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext(seed: 1);
        using var cancel = new CancellationTokenSource();
        long lastStep = 0;
        var options = TinyGpt.Options(steps: 1000) with
        {
            CancellationToken = cancel.Token,
            Training = TinyGpt.Options().Training with { MaxSteps = null, MaxEpochs = 1, CheckpointDirectory = folder.Path },
        };
        options = options with { Progress = new Progress(p => { lastStep = p.Step; if (p.Step == 2) cancel.Cancel(); }) };

        Assert.ThrowsAny<OperationCanceledException>(() => ml.Transforms.Llm.PretrainGpt(options).Fit(TinyGpt.Data(ml)));
        Assert.Equal(2, lastStep);
        var checkpoint = Assert.Single(Directory.GetDirectories(folder.Path));
        Assert.EndsWith("00000002", checkpoint);
    }

    /// <summary>Reports synchronously on the training thread.</summary>
    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public Progress(Action report) : this(_ => report()) { }
        public void Report(TrainingProgress value) => report(value);
    }
}
