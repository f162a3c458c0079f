using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Training;

[Collection(TrainingCollection.Name)]
public class BadInputTests
{
    private static readonly InMemoryTokenWindows Windows = TrainingData.Windows(TrainingData.ShortText, length: 16, stride: 8);

    [Fact]
    public void An_empty_training_set_is_refused()
    {
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var empty = new InMemoryTokenWindows([], [], 16);

        var error = Assert.Throws<ArgumentException>(() => GptTrainer.Train(model, empty, null, new GptTrainingOptions()));

        Assert.Equal("train", error.ParamName);
        Assert.Contains("no windows", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(32, 0)]   // an input id one past the vocabulary
    [InlineData(0, -7)]   // a negative target that is not the ignored one
    public void Ids_outside_the_vocabulary_are_refused_on_the_host_naming_the_window(long input, long target)
    {
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var inputs = new long[32];
        var targets = new long[32];
        inputs[20] = input;
        targets[20] = target;
        var windows = new InMemoryTokenWindows(inputs, targets, 16);

        var training = Assert.Throws<ArgumentOutOfRangeException>(() => GptTrainer.Train(model, windows, null, new GptTrainingOptions { MaxEpochs = 1, BatchSize = 2 }));
        var evaluation = Assert.Throws<ArgumentOutOfRangeException>(() => GptEvaluator.Evaluate(model, windows));

        Assert.Contains("Window 1 holds", training.Message, StringComparison.Ordinal);
        Assert.Contains("outside the vocabulary [0, 32)", evaluation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Windows_longer_than_the_context_are_refused()
    {
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var error = Assert.Throws<ArgumentException>(() => GptTrainer.Train(model, TrainingData.Windows(TrainingData.ShortText, 32, 8), null, new GptTrainingOptions()));
        Assert.Contains("context is 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unwritable_checkpoint_folder_is_found_before_any_training()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("a-file"), "");
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var before = TrainingData.Snapshot(model);
        int steps = 0;

        var error = Assert.Throws<ArgumentException>(() => GptTrainer.Train(model, Windows, null,
            new GptTrainingOptions { CheckpointDirectory = Path.Combine(folder.File("a-file"), "checkpoints") }, new SyncProgress<TrainingProgress>(_ => steps++)));

        Assert.Equal("CheckpointDirectory", error.ParamName);
        Assert.Contains("not writable", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, steps);
        foreach (var (name, values) in TrainingData.Snapshot(model)) Assert.Equal(before[name], values);
    }

    [Theory]
    [InlineData(40, 1, "VocabularySize")]
    [InlineData(32, 2, "Layers")]
    public void A_checkpoint_from_another_configuration_or_vocabulary_is_refused(int vocabulary, int layers, string field)
    {
        using var folder = new TemporaryFolder();
        using (var trained = new GptModel(TrainingData.Micro, seed: 1))
            GptTrainer.Train(trained, Windows, null, new GptTrainingOptions { MaxSteps = 2, CheckpointDirectory = folder.Path });
        using var other = new GptModel(TrainingData.Micro with { VocabularySize = vocabulary, Layers = layers }, seed: 1);
        var before = TrainingData.Snapshot(other);

        var error = Assert.Throws<InvalidDataException>(() => GptTrainer.Train(other, Windows, null, new GptTrainingOptions { MaxSteps = 4, ResumeFrom = folder.Path }));

        Assert.Contains($"GptConfig.{field}", error.Message, StringComparison.Ordinal);
        Assert.Contains("another configuration", error.Message, StringComparison.Ordinal);
        foreach (var (name, values) in TrainingData.Snapshot(other)) Assert.Equal(before[name], values);
    }

    [Fact]
    public void A_checkpoint_from_other_batching_is_refused()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        GptTrainer.Train(model, Windows, null, new GptTrainingOptions { MaxSteps = 2, BatchSize = 2, CheckpointDirectory = folder.Path });

        var error = Assert.Throws<InvalidDataException>(() => GptTrainer.Train(model, Windows, null, new GptTrainingOptions { MaxSteps = 4, BatchSize = 3, ResumeFrom = folder.Path }));

        Assert.Contains("batch_size = 2, this run has 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resuming_from_a_folder_without_a_checkpoint_names_it()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TrainingData.Micro, seed: 1);

        Assert.Throws<DirectoryNotFoundException>(() => GptTrainer.Train(model, Windows, null, new GptTrainingOptions { ResumeFrom = folder.File("missing") }));
        var error = Assert.Throws<InvalidDataException>(() => GptTrainer.Train(model, Windows, null, new GptTrainingOptions { ResumeFrom = folder.Path }));
        Assert.Contains("holds no training checkpoint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_NaN_loss_stops_with_a_clear_error_and_keeps_the_last_good_checkpoint()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var options = new GptTrainingOptions { BatchSize = 2, MaxEpochs = 10, MaxSteps = 20, CheckpointEveryNSteps = 5, CheckpointDirectory = folder.Path, InjectNaNAtStep = step => step == 7 };

        var error = Assert.Throws<TrainingDivergedException>(() => GptTrainer.Train(model, Windows, null, options));

        Assert.Equal(7, error.Step);
        Assert.Contains("diverged at step 7", error.Message, StringComparison.Ordinal);
        Assert.Contains("NaN", error.Message, StringComparison.Ordinal);
        Assert.Equal(Path.Combine(folder.Path, "step-00000005"), error.LastGoodCheckpoint);
        Assert.Equal(["step-00000005"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));

        var resumed = GptTrainer.Train(model, Windows, null, options with { InjectNaNAtStep = null, ResumeFrom = error.LastGoodCheckpoint });
        Assert.Equal(20, resumed.Records[^1].Step);
    }

    [Fact]
    public void A_cancelled_token_stops_before_the_first_step()
    {
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var before = TrainingData.Snapshot(model);

        Assert.Throws<OperationCanceledException>(() => GptTrainer.Train(model, Windows, null, new GptTrainingOptions(), cancellationToken: new CancellationToken(canceled: true)));

        foreach (var (name, values) in TrainingData.Snapshot(model)) Assert.Equal(before[name], values);
    }

    [Theory]
    [InlineData("BatchSize")]
    [InlineData("MinLearningRate")]
    [InlineData("GradientAccumulationSteps")]
    [InlineData("Beta2")]
    public void An_invalid_option_is_named(string name)
    {
        var options = name switch
        {
            "BatchSize" => new GptTrainingOptions { BatchSize = 0 },
            "MinLearningRate" => new GptTrainingOptions { LearningRate = 1e-4, MinLearningRate = 1e-3 },
            "GradientAccumulationSteps" => new GptTrainingOptions { GradientAccumulationSteps = 0 },
            _ => new GptTrainingOptions { Beta2 = 1.0 },
        };
        using var model = new GptModel(TrainingData.Micro, seed: 1);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => GptTrainer.Train(model, Windows, null, options));

        Assert.Equal(name, error.ParamName);
    }
}
