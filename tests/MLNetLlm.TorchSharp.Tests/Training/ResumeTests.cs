using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Training;

[Collection(TrainingCollection.Name)]
public class ResumeTests
{
    private static readonly GptConfig Config = TrainingData.Micro with { Dropout = 0.1 }; // dropout: the generator state must survive too
    private static readonly InMemoryTokenWindows Train = TrainingData.Windows(TrainingData.ShortText, length: 16, stride: 3); // 25 windows: 8 batches of 3 and one of 1
    private static readonly InMemoryTokenWindows Validation = TrainingData.Windows("a lazy dog jumps over the quick brown fox.", length: 16, stride: 8);

    private static GptTrainingOptions Options(string? checkpoints) => new()
    {
        LearningRate = 5e-3, WarmupSteps = 3, BatchSize = 3, GradientAccumulationSteps = 2, MaxEpochs = 3,
        EvaluateEveryNSteps = 4, EvaluationBatches = 2, Seed = 7, CheckpointDirectory = checkpoints,
    };

    [Fact]
    public void A_run_cancelled_mid_epoch_and_mid_step_then_resumed_reproduces_the_uninterrupted_run()
    {
        using var folder = new TemporaryFolder();
        using var uninterrupted = new GptModel(Config, seed: 1);
        var expected = GptTrainer.Train(uninterrupted, Train, Validation, Options(null));

        // Steps 1-5 read epoch 0 (25 windows) and epoch 1's first batch of 3. Cancel while step 6 reads its first batch
        // (epoch 1, batch 1): the loop notices before the second, mid-epoch and mid-accumulation.
        using var cancellation = new CancellationTokenSource();
        int reads = 0;
        var watched = new WatchedWindows(Train, _ => { if (++reads == 25 + 3 + 1) cancellation.Cancel(); });
        using (var first = new GptModel(Config, seed: 1))
            Assert.Throws<OperationCanceledException>(() => GptTrainer.Train(first, watched, Validation, Options(folder.Path), cancellationToken: cancellation.Token));
        Assert.Equal(["step-00000005"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));

        using var resumed = new GptModel(Config, seed: 99); // another initialisation: everything must come from the checkpoint
        var history = GptTrainer.Train(resumed, Train, Validation, Options(folder.Path) with { ResumeFrom = folder.Path });

        Assert.Equal(expected.Records.Count, history.Records.Count);
        Assert.Equal(expected.Records.Select(r => r.TrainLoss), history.Records.Select(r => r.TrainLoss));
        Assert.Equal(expected.Records.Select(r => r.ValidationLoss), history.Records.Select(r => r.ValidationLoss));
        Assert.Equal(expected.Records.Select(r => r.TokensSeen), history.Records.Select(r => r.TokensSeen));
        var want = TrainingData.Snapshot(uninterrupted);
        foreach (var (name, values) in TrainingData.Snapshot(resumed)) Assert.Equal(want[name], values);
    }

    [Fact]
    public void Checkpoints_are_written_every_n_steps_and_at_the_end_and_only_the_newest_are_kept()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Config, seed: 1);

        var history = GptTrainer.Train(model, Train, Validation, Options(folder.Path) with { CheckpointEveryNSteps = 4, KeepCheckpoints = 2 });

        Assert.Equal(14, history.Records.Count); // 27 batches in pairs
        Assert.Equal(["step-00000012", "step-00000014"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName).Order());
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path, ".*"));
        Assert.Equal(Path.Combine(folder.Path, "step-00000014"), history.LastCheckpoint);
        using var loaded = GptCheckpoint.Load(history.LastCheckpoint!).Model; // a training checkpoint is a model checkpoint too
        var want = TrainingData.Snapshot(model);
        foreach (var (name, values) in TrainingData.Snapshot(loaded)) Assert.Equal(want[name], values);
    }

    [Fact]
    public void Resuming_a_finished_run_with_a_larger_budget_continues_from_its_last_step()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Config, seed: 1);
        GptTrainer.Train(model, Train, Validation, Options(folder.Path) with { MaxSteps = 100, MaxEpochs = 1 });

        var more = GptTrainer.Train(model, Train, Validation, Options(folder.Path) with { MaxSteps = 100, MaxEpochs = 2, ResumeFrom = folder.Path });

        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), more.Records.Select(r => r.Step));
        Assert.Equal(1, more.Records[^1].Epoch);
    }
}
