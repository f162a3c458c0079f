using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Classification;

[Collection(TrainingCollection.Name)]
public class LoraTests
{
    private static readonly List<ClassificationExample> Data = ClassificationData.WordOrder(32, seed: 9);
    private static readonly List<int[]> Texts = ClassificationData.WordOrder(20, seed: 10).Select(e => e.TokenIds).ToList();

    private static ClassifierTrainingOptions Options => new()
    {
        Parameters = FineTuneParameters.LoRA, LoraRank = 4, LoraAlpha = 8, LearningRate = 1e-2, WarmupSteps = 0, BatchSize = 8, MaxEpochs = 2,
    };

    [Fact]
    public void Adapters_sit_beside_the_base_weights_under_the_projection_names_and_change_nothing_until_trained()
    {
        using var classifier = ClassificationData.Classifier();
        var names = classifier.named_parameters().Select(p => p.name).ToList();
        var before = classifier.PredictProbabilities(Texts);

        Lora.Apply(classifier.Backbone, rank: 4, alpha: 8, seed: 1);

        var shapes = classifier.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(names.Order(), shapes.Keys.Where(n => !Lora.IsAdapter(n)).Order()); // base names unchanged
        Assert.Equal(2 * 4 * 2, shapes.Keys.Count(Lora.IsAdapter));                       // 2 blocks × 4 projections × A, B
        Assert.Equal([96L, 32], shapes["transformer.h.0.attn.c_attn.weight"]);
        Assert.Equal([4L, 32], shapes["transformer.h.0.attn.c_attn.lora_A"]);
        Assert.Equal([96L, 4], shapes["transformer.h.0.attn.c_attn.lora_B"]);
        Assert.Equal([4L, 32], shapes["transformer.h.1.attn.c_proj.lora_A"]);
        Assert.Equal([32L, 4], shapes["transformer.h.1.attn.c_proj.lora_B"]);
        Assert.Equal([4L, 32], shapes["transformer.h.0.mlp.c_fc.lora_A"]);
        Assert.Equal([128L, 4], shapes["transformer.h.0.mlp.c_fc.lora_B"]);
        Assert.Equal([4L, 128], shapes["transformer.h.1.mlp.c_proj.lora_A"]);
        Assert.Equal([32L, 4], shapes["transformer.h.1.mlp.c_proj.lora_B"]);
        Assert.All(classifier.named_parameters().Where(p => p.name.EndsWith("lora_B", StringComparison.Ordinal)), p => Assert.Equal(0f, p.parameter.abs().max().item<float>()));
        Assert.Equal((4, 8.0), classifier.LoraSettings);
        Assert.Equal(before, classifier.PredictProbabilities(Texts)); // B = 0: the same function
        Assert.Throws<InvalidOperationException>(() => Lora.Apply(classifier.Backbone, 4, 8));
    }

    [Fact]
    public void Training_changes_only_the_adapters_and_the_head_and_merging_keeps_the_scores()
    {
        using var classifier = ClassificationData.Classifier();
        var before = ClassificationData.Snapshot(classifier);

        TextClassifierTrainer.Train(classifier, Data, null, Options);

        var after = ClassificationData.Snapshot(classifier);
        foreach (var (name, values) in before)
            Assert.True(values.SequenceEqual(after[name]) != name.StartsWith("score.", StringComparison.Ordinal), $"{name}");
        Assert.All(after.Keys.Where(n => n.EndsWith("lora_B", StringComparison.Ordinal)), n => Assert.Contains(after[n], v => v != 0));
        var unmerged = classifier.PredictProbabilities(Texts);

        classifier.MergeLora();

        Assert.Null(classifier.LoraSettings);
        Assert.Equal(before.Keys.Order(), classifier.named_parameters().Select(p => p.name).Order());
        var merged = classifier.PredictProbabilities(Texts);
        for (int i = 0; i < Texts.Count; i++)
            for (int c = 0; c < 2; c++) Assert.Equal(unmerged[i][c], merged[i][c], 1e-5f);
        Assert.Contains(classifier.named_parameters(), p => p.name.EndsWith("c_attn.weight", StringComparison.Ordinal) && !p.parameter.data<float>().ToArray().SequenceEqual(before[p.name]));
    }

    [Fact]
    public void A_classifier_with_adapters_saves_and_loads_with_the_same_scores()
    {
        using var folder = new TemporaryFolder();
        using var classifier = ClassificationData.Classifier(EmbeddingPooling.Mean);
        TextClassifierTrainer.Train(classifier, Data, null, Options with { MaxEpochs = 1 });
        var expected = classifier.PredictProbabilities(Texts);

        TextClassifierCheckpoint.Save(classifier, folder.Path);
        using var loaded = TextClassifierCheckpoint.Load(folder.Path);

        Assert.Equal((4, 8.0), loaded.LoraSettings);
        Assert.Equal(EmbeddingPooling.Mean, loaded.Pooling);
        Assert.Equal(expected, loaded.PredictProbabilities(Texts));
        Assert.Equal(classifier.named_parameters().Select(p => p.name), loaded.named_parameters().Select(p => p.name));
    }

    [Fact]
    public void Options_that_train_something_else_refuse_a_classifier_with_adapters()
    {
        using var classifier = ClassificationData.Classifier();
        Lora.Apply(classifier.Backbone, rank: 4, alpha: 8);

        Assert.Throws<InvalidOperationException>(() => TextClassifierTrainer.Train(classifier, Data, null, Options with { Parameters = FineTuneParameters.All }));
        Assert.Throws<ArgumentException>("options", () => TextClassifierTrainer.Train(classifier, Data, null, Options with { LoraRank = 2 }));
    }
}
