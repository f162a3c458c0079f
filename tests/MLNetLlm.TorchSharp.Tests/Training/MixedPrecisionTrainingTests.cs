using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Training;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Training;

[Collection(TrainingCollection.Name)]
public class MixedPrecisionTrainingTests
{
    private const string Text =
        "the quick brown fox jumps over the lazy dog. a lazy dog sleeps in the sun. the brown fox runs to the wood. " +
        "over the hill the dog barks at the fox. the sun goes down and the fox sleeps. a quick dog jumps over a log.";

    // Width 64 so every projection is a real (if small) matrix product; no dropout, so only the precision differs.
    private static readonly GptConfig Config = new() { VocabularySize = 32, ContextLength = 32, EmbeddingSize = 64, Heads = 2, Layers = 2, Dropout = 0.0 };
    private static readonly InMemoryTokenWindows Train = TrainingData.Windows(Text, length: 32, stride: 4);
    private static readonly InMemoryTokenWindows Validation = TrainingData.Windows("the dog and the fox sleep in the sun over the hill.", length: 32, stride: 8);

    private static GptTrainingOptions Options(Precision precision, long steps = 200) => new()
    {
        Precision = precision, LearningRate = 3e-3, MinLearningRate = 3e-4, WarmupSteps = 20, BatchSize = 8,
        MaxEpochs = 1000, MaxSteps = steps, EvaluateEveryNSteps = 50, EvaluationBatches = 2, Seed = 5,
    };

    private static TrainingHistory Run(Precision precision, out Dictionary<string, float[]> weights, long steps = 200)
    {
        using var model = new GptModel(Config, seed: 1);
        var history = GptTrainer.Train(model, Train, Validation, Options(precision, steps));
        Assert.All(model.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype)); // master weights stay fp32
        weights = TrainingData.Snapshot(model);
        return history;
    }

    [Fact]
    public void Bf16_training_follows_the_fp32_loss_curve_within_the_stated_tolerance()
    {
        var fp32 = Run(Precision.Fp32, out _);
        var bf16 = Run(Precision.Bf16, out _);

        Assert.Equal(200, bf16.Records.Count);
        // bf16 really computes in another precision (the curves are not the same numbers) ...
        Assert.NotEqual(fp32.Records.Select(r => r.TrainLoss), bf16.Records.Select(r => r.TrainLoss));
        // ... and stays on the fp32 curve: each 20-step mean of the training loss within 0.02 nats of fp32's (the loss
        // falls from ln 32 ≈ 3.5 to about 0.08 here; measured gap at most 0.002), and each validation loss within 5 %
        // (measured at most 1.8 %: the model overfits, so its validation loss moves more).
        for (int start = 0; start < 200; start += 20)
        {
            double a = fp32.Records.Skip(start).Take(20).Average(r => r.TrainLoss), b = bf16.Records.Skip(start).Take(20).Average(r => r.TrainLoss);
            Assert.True(Math.Abs(a - b) < 0.02, $"steps {start + 1}-{start + 20}: fp32 mean loss {a:F4}, bf16 {b:F4}");
        }
        var fp32Validation = fp32.Records.Where(r => r.ValidationLoss is not null).Select(r => r.ValidationLoss!.Value).ToArray();
        var bf16Validation = bf16.Records.Where(r => r.ValidationLoss is not null).Select(r => r.ValidationLoss!.Value).ToArray();
        Assert.Equal(4, bf16Validation.Length);
        for (int i = 0; i < 4; i++)
        {
            Assert.True(Math.Abs(fp32Validation[i] - bf16Validation[i]) < 0.05 * fp32Validation[i], $"validation {i}: fp32 {fp32Validation[i]:F4}, bf16 {bf16Validation[i]:F4}");
        }
        Assert.True(bf16.Records[^1].TrainLoss < 1, $"final bf16 loss {bf16.Records[^1].TrainLoss}");
    }

    [Fact]
    public void Bf16_training_is_deterministic_by_seed()
    {
        var first = Run(Precision.Bf16, out var firstWeights, steps: 40);
        var second = Run(Precision.Bf16, out var secondWeights, steps: 40);

        Assert.Equal(first.Records, second.Records);
        foreach (var (name, values) in firstWeights) Assert.Equal(values, secondWeights[name]);
    }

    [Theory]
    [InlineData(Precision.Fp32, Precision.Bf16)]
    [InlineData(Precision.Bf16, Precision.Fp32)]
    public void A_checkpoint_is_fp32_and_resumes_across_the_switch(Precision before, Precision after)
    {
        using var folder = new TemporaryFolder();
        using var uninterrupted = new GptModel(Config, seed: 1);
        var expected = GptTrainer.Train(uninterrupted, Train, Validation, Options(before, steps: 40));

        using (var first = new GptModel(Config, seed: 1))
            GptTrainer.Train(first, Train, Validation, Options(before, steps: 40) with { MaxSteps = 40, CheckpointDirectory = folder.Path, CheckpointEveryNSteps = 20 });
        var checkpoint = Path.Combine(folder.Path, "step-00000020");
        using (var saved = GptCheckpoint.Load(checkpoint).Model)
            Assert.All(saved.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));

        using var resumed = new GptModel(Config, seed: 99);
        var history = GptTrainer.Train(resumed, Train, Validation, Options(after, steps: 40) with { ResumeFrom = checkpoint });

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), history.Records.Select(r => r.Step));
        Assert.Equal(expected.Records.Take(20), history.Records.Take(20)); // the saved history, as trained
        for (int i = 20; i < 40; i++) // then the other precision, on the same curve
            Assert.True(Math.Abs(expected.Records[i].TrainLoss - history.Records[i].TrainLoss) < 0.1,
                $"step {i + 1}: uninterrupted {expected.Records[i].TrainLoss:F4}, resumed in {after} {history.Records[i].TrainLoss:F4}");
        Assert.All(resumed.parameters(), p => Assert.Equal(ScalarType.Float32, p.dtype));
    }

    [Fact]
    public void An_undefined_precision_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new GptTrainingOptions { Precision = (Precision)7 }.Validate());
        Assert.Equal(nameof(TrainingOptions.Precision), error.ParamName);
    }
}
