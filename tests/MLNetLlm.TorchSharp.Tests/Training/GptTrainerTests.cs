using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Training;

[Collection(TrainingCollection.Name)]
public class GptTrainerTests
{
    [Fact]
    public void A_tiny_model_overfits_a_short_text_and_writes_its_history()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(GptConfig.Tiny with { VocabularySize = 32, ContextLength = 32 }, seed: 1);
        var windows = TrainingData.Windows(TrainingData.ShortText, length: 32, stride: 4);
        var options = new GptTrainingOptions { LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 10, BatchSize = 8, MaxEpochs = 200, MaxSteps = 150, EvaluateEveryNSteps = 50 };
        var reports = new List<TrainingProgress>();
        var lines = new List<string>();

        var history = GptTrainer.Train(model, windows, windows, options, new SyncProgress<TrainingProgress>(reports.Add), lines.Add);

        Assert.Equal(150, history.Records.Count);
        Assert.True(history.Records[0].TrainLoss > 3, $"first loss {history.Records[0].TrainLoss}"); // about ln 32 at the start
        Assert.True(history.Records[^1].TrainLoss < 1, $"final training loss {history.Records[^1].TrainLoss}");
        Assert.True(history.BestValidationLoss < 1);
        Assert.Equal(StopReason.BudgetReached, history.StopReason);
        Assert.Null(history.LastCheckpoint);
        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), reports.Select(r => r.Step));
        Assert.All(reports, r => Assert.Equal(150, r.TotalSteps));
        Assert.Equal(new long[] { 50, 100, 150 }, reports.Where(r => r.ValidationLoss is not null).Select(r => r.Step));
        Assert.Equal(3, lines.Count(l => l.Contains("val loss", StringComparison.Ordinal)));
        Assert.Equal(15, windows.WindowCount);
        Assert.Equal(75L * 15 * 32, history.Records[^1].TokensSeen); // each epoch: a batch of 8 windows, then one of 7

        history.WriteCsv(folder.File("history.csv"));
        var csv = File.ReadAllLines(folder.File("history.csv"));
        Assert.Equal(151, csv.Length);
        Assert.StartsWith("step,epoch,tokens_seen,train_loss", csv[0], StringComparison.Ordinal);
        Assert.Equal(history.Records, TrainingHistory.ReadCsv(folder.File("history.csv")));

        // The loss curve MLNetLlm.Plots draws: every step, validation at each evaluation.
        var curve = history.LossCurve.Points;
        Assert.Equal(history.Records.Select(r => (r.Step, r.TokensSeen, r.TrainLoss, r.ValidationLoss)),
            curve.Select(p => (p.Step, p.TokensSeen, p.TrainLoss, p.ValidationLoss)));
        Assert.Equal(new long[] { 50, 100, 150 }, curve.Where(p => p.ValidationLoss is not null).Select(p => p.Step));
    }

    [Fact]
    public void Gradient_accumulation_of_two_half_batches_equals_one_full_batch()
    {
        var windows = TrainingData.Windows(TrainingData.ShortText, length: 16, stride: 8);
        var whole = new GptTrainingOptions { BatchSize = 4, MaxSteps = 1, LearningRate = 1e-2, WarmupSteps = 0 };
        var halves = whole with { BatchSize = 2, GradientAccumulationSteps = 2 };
        using var a = new GptModel(TrainingData.Micro, seed: 3);
        using var b = new GptModel(TrainingData.Micro, seed: 3);

        GptTrainer.Train(a, windows, null, whole);
        GptTrainer.Train(b, windows, null, halves);

        var expected = TrainingData.Snapshot(a);
        foreach (var (name, values) in TrainingData.Snapshot(b))
            for (int i = 0; i < values.Length; i++) Assert.True(Math.Abs(values[i] - expected[name][i]) < 1e-5, $"{name}[{i}]: {values[i]} vs {expected[name][i]}");
    }

    [Fact]
    public void The_token_budget_and_the_epoch_budget_set_the_number_of_steps()
    {
        var windows = TrainingData.Windows(TrainingData.ShortText, length: 16, stride: 8); // 10 windows
        using var model = new GptModel(TrainingData.Micro, seed: 1);

        var byTokens = GptTrainer.Train(model, windows, null, new GptTrainingOptions { BatchSize = 2, MaxEpochs = 100, MaxTokens = 5 * 2 * 16 });
        var byEpochs = GptTrainer.Train(model, windows, null, new GptTrainingOptions { BatchSize = 2, GradientAccumulationSteps = 2, MaxEpochs = 2 });

        Assert.Equal(5, byTokens.Records.Count);
        Assert.Equal(5, byEpochs.Records.Count);                   // 2 epochs of 5 batches form one stream of 10, taken in pairs
        Assert.Equal(2 * 10 * 16, byEpochs.Records[^1].TokensSeen); // every window twice
        Assert.Equal(1, byEpochs.Records[^1].Epoch);
    }

    [Fact]
    public void Early_stopping_ends_training_when_the_validation_loss_keeps_rising()
    {
        // Training teaches a→b→c→a; validation asks for a→c→b→a, which gets less likely the better training goes.
        var train = TrainingData.Windows(string.Concat(Enumerable.Repeat("abc", 30)), length: 16, stride: 2);
        var validation = TrainingData.Windows(string.Concat(Enumerable.Repeat("acb", 30)), length: 16, stride: 2);
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        var options = new GptTrainingOptions { LearningRate = 1e-2, WarmupSteps = 0, BatchSize = 4, MaxEpochs = 100, MaxSteps = 400, EvaluateEveryNSteps = 5, EarlyStoppingPatience = 3 };

        var history = GptTrainer.Train(model, train, validation, options);

        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.True(history.Records.Count < 400);
        var evaluated = history.Records.Where(r => r.ValidationLoss is not null).Select(r => r.ValidationLoss!.Value).ToList();
        Assert.True(evaluated[^1] > history.BestValidationLoss);
        Assert.True(evaluated.TakeLast(3).All(v => v > history.BestValidationLoss));
    }

    [Fact]
    public void Weight_decay_skips_biases_and_layer_norms()
    {
        using var model = new GptModel(TrainingData.Micro, seed: 1);
        using var optimizer = new AdamW(model.named_parameters(), new GptTrainingOptions());

        var decayed = optimizer.Decayed.ToHashSet();

        Assert.Contains("wte.weight", decayed);
        Assert.Contains("h.0.attn.c_attn.weight", decayed);
        Assert.Contains("h.0.mlp.c_fc.weight", decayed);
        Assert.DoesNotContain(decayed, name => name.EndsWith(".bias", StringComparison.Ordinal) || name.Contains("ln_", StringComparison.Ordinal));
        Assert.Equal(model.named_parameters().Count(p => p.parameter.dim() >= 2), decayed.Count);
    }
}
