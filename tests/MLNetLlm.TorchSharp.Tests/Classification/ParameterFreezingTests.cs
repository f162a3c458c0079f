using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Classification;

[Collection(TrainingCollection.Name)]
public class ParameterFreezingTests
{
    private static readonly List<ClassificationExample> Data = ClassificationData.WordOrder(24, seed: 7);

    private static ClassifierTrainingOptions Options(FineTuneParameters parameters) => new()
    {
        Parameters = parameters, LearningRate = 1e-2, WarmupSteps = 0, BatchSize = 8, MaxSteps = 3, MaxEpochs = 1,
    };

    [Fact]
    public void Training_only_the_last_block_leaves_every_other_parameter_bit_identical()
    {
        // An untied output head, so the GPT's unused lm_head is there to stay frozen too.
        using var classifier = ClassificationData.Classifier(config: ClassificationData.Config with { TiedOutputHead = false });
        var before = ClassificationData.Snapshot(classifier);

        TextClassifierTrainer.Train(classifier, Data, null, Options(FineTuneParameters.LastBlocks) with { TrainableBlocks = 1 });

        var after = ClassificationData.Snapshot(classifier);
        var trained = before.Keys.Where(n => n.StartsWith("transformer.h.1.", StringComparison.Ordinal) || n.StartsWith("transformer.ln_f.", StringComparison.Ordinal) || n.StartsWith("score.", StringComparison.Ordinal)).ToHashSet();
        Assert.Equal(12 + 2 + 2, trained.Count); // a block's 2 LayerNorms and 4 Linears, 2 tensors each; ln_f; the head
        Assert.Contains("transformer.lm_head.weight", before.Keys);
        foreach (var (name, values) in before)
        {
            if (trained.Contains(name)) Assert.False(values.SequenceEqual(after[name]), $"{name} did not train");
            else Assert.True(values.SequenceEqual(after[name]), $"{name} changed");
        }
        Assert.Equal(trained, classifier.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToHashSet());
    }

    [Fact]
    public void Training_the_head_only_changes_the_head_only()
    {
        using var classifier = ClassificationData.Classifier();
        var before = ClassificationData.Snapshot(classifier);

        TextClassifierTrainer.Train(classifier, Data, null, Options(FineTuneParameters.Head));

        var after = ClassificationData.Snapshot(classifier);
        foreach (var (name, values) in before)
            Assert.True(values.SequenceEqual(after[name]) != name.StartsWith("score.", StringComparison.Ordinal), $"{name}");
    }

    [Fact]
    public void Training_everything_changes_every_used_parameter()
    {
        using var classifier = ClassificationData.Classifier();
        var before = ClassificationData.Snapshot(classifier);

        TextClassifierTrainer.Train(classifier, Data, null, Options(FineTuneParameters.All));

        var after = ClassificationData.Snapshot(classifier);
        var unchanged = before.Where(p => p.Value.SequenceEqual(after[p.Key])).Select(p => p.Key).ToList();
        // Positions past the longest text (14 tokens) get no gradient, but the rows they hold are only part of wpe.
        Assert.Empty(unchanged);
    }
}
