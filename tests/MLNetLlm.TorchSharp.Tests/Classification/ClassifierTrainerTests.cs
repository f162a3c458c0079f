using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Classification;

[Collection(TrainingCollection.Name)]
public class ClassifierTrainerTests
{
    private static readonly List<ClassificationExample> Small = ClassificationData.WordOrder(24, seed: 5);

    private static ClassifierTrainingOptions Short => new()
    {
        Parameters = FineTuneParameters.All, LearningRate = 1e-2, WarmupSteps = 0, BatchSize = 8, MaxEpochs = 2, EvaluateEveryNSteps = 2,
    };

    [Fact]
    public void A_tiny_model_learns_which_of_two_words_comes_first()
    {
        var train = ClassificationData.WordOrder(512, seed: 1);
        var validation = ClassificationData.WordOrder(128, seed: 2);
        var test = ClassificationData.WordOrder(300, seed: 3);
        using var classifier = ClassificationData.Classifier();
        double before = ClassificationData.Accuracy(classifier, test);
        var options = new ClassifierTrainingOptions
        {
            Parameters = FineTuneParameters.All, LearningRate = 3e-3, MinLearningRate = 3e-4, WeightDecay = 0.01, BatchSize = 32,
            MaxEpochs = 7, WarmupSteps = 10, EvaluateEveryNSteps = 16,
        };

        var history = TextClassifierTrainer.Train(classifier, train, validation, options);

        double accuracy = ClassificationData.Accuracy(classifier, test);
        Assert.True(before < 0.7, $"untrained accuracy {before:P1}");
        Assert.True(accuracy >= 0.95, $"held-out accuracy {accuracy:P1} (before training {before:P1}); best validation loss {history.BestValidationLoss}");
        Assert.Equal(112, history.Records.Count); // 16 batches of 32 per epoch
    }

    [Fact]
    public void The_same_seed_gives_the_same_losses_and_weights()
    {
        using var a = ClassificationData.Classifier(seed: 4);
        using var b = ClassificationData.Classifier(seed: 4);
        var options = Short with { Parameters = FineTuneParameters.LoRA, LoraRank = 4, Seed = 3 };

        var first = TextClassifierTrainer.Train(a, Small, Small, options);
        var second = TextClassifierTrainer.Train(b, Small, Small, options);

        Assert.Equal(first.Records.Select(r => r.TrainLoss), second.Records.Select(r => r.TrainLoss));
        Assert.Equal(first.Records.Select(r => r.ValidationLoss), second.Records.Select(r => r.ValidationLoss));
        var want = ClassificationData.Snapshot(a);
        foreach (var (name, values) in ClassificationData.Snapshot(b)) Assert.Equal(want[name], values);
    }

    [Fact]
    public void Class_weights_weigh_each_example_loss_by_its_class()
    {
        using var classifier = ClassificationData.Classifier(seed: 2);
        using (no_grad()) classifier.Score.weight!.mul_(100); // logits far from zero, so the two losses differ clearly
        var examples = new List<ClassificationExample> { new([3, 1, 4, 2], 1), new([2, 5, 1], 0), new([6, 2, 7, 1, 8], 0) };
        double[] weights = [3.0, 0.5];
        var options = new ClassifierTrainingOptions { BatchSize = 3, ClassWeights = weights };

        // By hand: each example's -log softmax of its label, weighted by its class, over the sum of the weights.
        var losses = examples.Select((e, i) => -Math.Log(classifier.PredictProbabilities([e.TokenIds])[0][e.Label])).ToArray();
        double expected = examples.Select((e, i) => weights[e.Label] * losses[i]).Sum() / examples.Sum(e => weights[e.Label]);
        double plain = losses.Average();
        Assert.True(Math.Abs(expected - plain) > 0.05, $"weighted {expected} and plain {plain} should differ for the test to mean anything");

        var weighted = new ClassificationTask(classifier, examples, examples, options);
        var unweighted = new ClassificationTask(classifier, examples, examples, options with { ClassWeights = null });
        classifier.eval();
        using (var scope = NewDisposeScope())
        {
            Assert.Equal(expected, weighted.Loss(0, 0).Loss.item<float>(), 4);
            Assert.Equal(plain, unweighted.Loss(0, 0).Loss.item<float>(), 4);
        }
        Assert.Equal(expected, weighted.Validate()!.Value, 4);
        Assert.Equal(plain, unweighted.Validate()!.Value, 4);
    }

    [Fact]
    public void Balanced_class_weights_give_each_class_the_same_total_weight()
    {
        var weights = ClassifierTrainingOptions.BalancedClassWeights([0, 0, 0, 1, 2, 2], classCount: 4);

        Assert.Equal([6.0 / (4 * 3), 6.0 / 4, 6.0 / (4 * 2), 0.0], weights);
        Assert.Throws<ArgumentOutOfRangeException>("labels", () => ClassifierTrainingOptions.BalancedClassWeights([0, 4], classCount: 4));
    }

    [Fact]
    public void The_model_ends_with_the_weights_of_the_best_validation_loss()
    {
        // Validation labels are the opposite of the training labels: the better the model learns, the worse the
        // validation loss, so the best evaluation is an early one and the last is not.
        var train = ClassificationData.WordOrder(32, seed: 6);
        var reversed = train.Select(e => e with { Label = 1 - e.Label }).ToList();
        var options = Short with { MaxEpochs = 3, EvaluateEveryNSteps = 1 };
        using var restored = ClassificationData.Classifier(seed: 5);
        using var last = ClassificationData.Classifier(seed: 5);

        var history = TextClassifierTrainer.Train(restored, train, reversed, options);
        var lastHistory = TextClassifierTrainer.Train(last, train, reversed, options with { RestoreBestWeights = false });

        var best = history.Records.MinBy(r => r.ValidationLoss)!;
        Assert.True(best.Step < history.Records.Count && best.ValidationLoss < history.Records[^1].ValidationLoss - 0.01, "the test needs a best step before the last");
        Assert.Equal(best.Step, history.RestoredStep);
        Assert.Equal(best.ValidationLoss!.Value, Validate(restored, reversed, options), 5);
        Assert.Null(lastHistory.RestoredStep);
        Assert.Equal(lastHistory.Records[^1].ValidationLoss!.Value, Validate(last, reversed, options), 5);
    }

    [Fact]
    public void Early_stopping_stops_and_restores_the_best_weights()
    {
        var train = ClassificationData.WordOrder(32, seed: 6);
        var reversed = train.Select(e => e with { Label = 1 - e.Label }).ToList();
        var options = Short with { MaxEpochs = 20, EvaluateEveryNSteps = 1, EarlyStoppingPatience = 3 };
        using var classifier = ClassificationData.Classifier(seed: 5);

        var history = TextClassifierTrainer.Train(classifier, train, reversed, options);

        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.True(history.Records.Count < 80);
        var best = history.Records.MinBy(r => r.ValidationLoss)!;
        Assert.Equal(best.Step, history.RestoredStep);
        Assert.Equal(history.Records.Count - 3, best.Step);
        Assert.Equal(best.ValidationLoss!.Value, Validate(classifier, reversed, options), 5);
    }

    [Fact]
    public void A_cancelled_run_keeps_its_checkpoint_and_resuming_reproduces_the_uninterrupted_run()
    {
        using var folder = new TemporaryFolder();
        var train = ClassificationData.WordOrder(40, seed: 8); // 5 batches of 8 per epoch
        var options = Short with { Parameters = FineTuneParameters.LoRA, LoraRank = 4, MaxEpochs = 3, EvaluateEveryNSteps = 4, CheckpointDirectory = folder.Path };
        using var uninterrupted = ClassificationData.Classifier(seed: 1);
        var expected = TextClassifierTrainer.Train(uninterrupted, train, Small, options with { CheckpointDirectory = null });

        using var cancellation = new CancellationTokenSource();
        var cancelAtStep7 = new SyncProgress<TrainingProgress>(p => { if (p.Step == 7) cancellation.Cancel(); }); // mid epoch 1
        using (var first = ClassificationData.Classifier(seed: 1))
            Assert.Throws<OperationCanceledException>(() => TextClassifierTrainer.Train(first, train, Small, options, cancelAtStep7, cancellationToken: cancellation.Token));
        Assert.Equal(["step-00000007"], Directory.GetDirectories(folder.Path).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(folder.Path, "step-00000007", "best_weights.safetensors")));

        using var resumed = ClassificationData.Classifier(seed: 99); // everything must come from the checkpoint
        var history = TextClassifierTrainer.Train(resumed, train, Small, options with { ResumeFrom = folder.Path });

        Assert.Equal(expected.Records.Select(r => r.TrainLoss), history.Records.Select(r => r.TrainLoss));
        Assert.Equal(expected.Records.Select(r => r.ValidationLoss), history.Records.Select(r => r.ValidationLoss));
        Assert.Equal(expected.RestoredStep, history.RestoredStep);
        var want = ClassificationData.Snapshot(uninterrupted);
        foreach (var (name, values) in ClassificationData.Snapshot(resumed)) Assert.Equal(want[name], values);
    }

    [Fact]
    public void A_NaN_loss_stops_training_and_keeps_the_last_checkpoint()
    {
        using var folder = new TemporaryFolder();
        using var classifier = ClassificationData.Classifier();
        var options = Short with { MaxEpochs = 3, CheckpointEveryNSteps = 2, CheckpointDirectory = folder.Path, InjectNaNAtStep = step => step == 5 };

        var error = Assert.Throws<TrainingDivergedException>(() => TextClassifierTrainer.Train(classifier, Small, null, options));

        Assert.Equal(5, error.Step);
        Assert.Equal(Path.Combine(folder.Path, "step-00000004"), error.LastGoodCheckpoint);
        using var saved = TextClassifierCheckpoint.Load(error.LastGoodCheckpoint!);
        Assert.Equal(2, saved.ClassCount);
    }

    [Fact]
    public void Bad_data_is_refused_before_training_naming_the_set_and_row()
    {
        using var classifier = ClassificationData.Classifier();
        var before = ClassificationData.Snapshot(classifier);
        List<ClassificationExample> With(int row, ClassificationExample bad) => [.. Small.Take(row), bad, .. Small.Skip(row + 1)];

        var empty = Assert.Throws<ArgumentException>("train", () => TextClassifierTrainer.Train(classifier, [], null, Short));
        Assert.Contains("no examples", empty.Message, StringComparison.Ordinal);
        var single = Assert.Throws<ArgumentException>("train", () => TextClassifierTrainer.Train(classifier, Small.Select(e => e with { Label = 1 }).ToList(), null, Short));
        Assert.Contains("two classes", single.Message, StringComparison.Ordinal);
        var label = Assert.Throws<ArgumentException>("train", () => TextClassifierTrainer.Train(classifier, With(2, new([3, 4], 2)), null, Short));
        Assert.Contains("Training example 2 has label 2", label.Message, StringComparison.Ordinal);
        var negative = Assert.Throws<ArgumentException>("validation", () => TextClassifierTrainer.Train(classifier, Small, With(1, new([3, 4], -1)), Short));
        Assert.Contains("Validation example 1 has label -1", negative.Message, StringComparison.Ordinal);
        var noTokens = Assert.Throws<ArgumentException>("train", () => TextClassifierTrainer.Train(classifier, With(3, new([], 0)), null, Short));
        Assert.Contains("Training example 3 has no tokens", noTokens.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>("train", () => TextClassifierTrainer.Train(classifier, With(4, new([3, 20], 0)), null, Short));
        Assert.Contains("Training example 4 has token id 20", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>("validation", () => TextClassifierTrainer.Train(classifier, Small, [], Short));

        var after = ClassificationData.Snapshot(classifier);
        foreach (var (name, values) in before) Assert.Equal(values, after[name]);
    }

    [Fact]
    public void Bad_options_are_refused_naming_the_option()
    {
        using var classifier = ClassificationData.Classifier();
        void Refused(string option, ClassifierTrainingOptions options) =>
            Assert.Throws<ArgumentOutOfRangeException>(option, () => TextClassifierTrainer.Train(classifier, Small, null, options));

        Refused("LoraRank", Short with { Parameters = FineTuneParameters.LoRA, LoraRank = 0 });
        Refused("LoraRank", Short with { Parameters = FineTuneParameters.LoRA, LoraRank = 33 }); // wider than the 32-wide model
        Refused("LoraAlpha", Short with { LoraAlpha = 0 });
        Refused("TrainableBlocks", Short with { Parameters = FineTuneParameters.LastBlocks, TrainableBlocks = 3 });
        Refused("TrainableBlocks", Short with { TrainableBlocks = -1 });
        Refused("ClassWeights", Short with { ClassWeights = [1.0, 2.0, 3.0] });
        Refused("ClassWeights", Short with { ClassWeights = [1.0, double.NaN] });
        Refused("ClassWeights", Short with { ClassWeights = [0.0, 0.0] });
        Refused("MaxSequenceLength", Short with { MaxSequenceLength = 17 });
        Refused("Parameters", Short with { Parameters = (FineTuneParameters)9 });
        Assert.Throws<ArgumentOutOfRangeException>("rank", () => MLNetLlm.TorchSharp.Modeling.Lora.Apply(classifier.Backbone, 0, 16));
        Assert.Null(classifier.LoraSettings);
    }

    [Fact]
    public void Defaults_are_the_documented_fine_tuning_ones()
    {
        var options = new ClassifierTrainingOptions();

        Assert.Equal((1e-4, 1e-5, 0.1, 0.999, 5, 8), (options.LearningRate, options.MinLearningRate, options.WeightDecay, options.Beta2, options.MaxEpochs, options.BatchSize));
        Assert.Equal((FineTuneParameters.LastBlocks, 1, 8, 16.0), (options.Parameters, options.TrainableBlocks, options.LoraRank, options.LoraAlpha));
        Assert.True(options.RestoreBestWeights);
        Assert.Null(options.EvaluationBatches);
        Assert.False(new GptTrainingOptions().RestoreBestWeights);
    }

    private static double Validate(TextClassifier classifier, List<ClassificationExample> examples, ClassifierTrainingOptions options) =>
        new ClassificationTask(classifier, examples, examples, options).Validate()!.Value;
}
