using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.Embeddings;
using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.EncoderClassification;

[Collection(TrainingCollection.Name)]
public class EncoderLoraAndFreezingTests
{
    private static Dictionary<string, float[]> Weights(torch.nn.Module module) =>
        module.named_parameters().Where(p => !Lora.IsAdapter(p.name)).ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());

    private static (TextClassifierTransformer Classifier, IDataView Data) Fit(PretrainedEncoder encoder, FineTuneParameters parameters)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(16, seed: 2));
        var options = TinyEncoderClassification.Options(encoder, label: "IsCat", parameters: parameters);
        options = options with { Training = options.Training with { LoraRank = 4, LoraAlpha = 8, TrainableBlocks = 1 } };
        return (ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(options).Fit(data), data);
    }

    private static void AssertSame(Dictionary<string, float[]> expected, Dictionary<string, float[]> actual)
    {
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected) Assert.True(values.SequenceEqual(actual[name]), $"{name} changed");
    }

    [Fact]
    public void LoRA_LeavesTheBaseWeightsUnchanged_AndMergesToTheSameScores()
    {
        var random = new Random(5);
        var examples = Enumerable.Range(0, 16).Select(i =>
        {
            int[] ids = [2, .. Enumerable.Range(0, 1 + random.Next(6)).Select(_ => 10 + random.Next(30)), 3]; // [CLS] words [SEP]
            return new ClassificationExample(ids, ids.Contains(25) ? 1 : 0);
        }).ToList();
        var texts = examples.Select(e => e.TokenIds).ToList();
        using var classifier = new TextClassifier(new BertModel(BertConfig.Tiny, seed: 1), 2, EmbeddingPooling.Mean, seed: 3);
        var before = Weights(classifier.Backbone.Module);
        var options = new ClassifierTrainingOptions { Parameters = FineTuneParameters.LoRA, LoraRank = 4, LoraAlpha = 8, LearningRate = 1e-2, WarmupSteps = 0, BatchSize = 8, MaxEpochs = 2 };

        TextClassifierTrainer.Train(classifier, examples, null, options);

        AssertSame(before, Weights(classifier.Backbone.Module)); // the adapters trained, the base did not
        Assert.Contains(classifier.named_parameters(), p => p.name.EndsWith("lora_B", StringComparison.Ordinal) && p.parameter.abs().max().item<float>() > 0);
        var unmerged = classifier.PredictProbabilities(texts);

        classifier.MergeLora();

        var merged = classifier.PredictProbabilities(texts);
        for (int i = 0; i < texts.Count; i++)
            for (int c = 0; c < 2; c++) Assert.Equal(unmerged[i][c], merged[i][c], 1e-5f);
        Assert.False(before["encoder.layer.0.attention.self.query.weight"].SequenceEqual(Weights(classifier.Backbone.Module)["encoder.layer.0.attention.self.query.weight"]));
    }

    [Fact]
    public void FineTuneEncoder_WithLoRA_LeavesTheCallersEncoderUnchanged()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var before = Weights(encoder.Model);

        var (classifier, _) = Fit(encoder, FineTuneParameters.LoRA);
        classifier.Dispose();

        AssertSame(before, Weights(encoder.Model));
    }

    [Theory]
    [InlineData(FineTuneParameters.Head)]
    [InlineData(FineTuneParameters.LastBlocks)]
    [InlineData(FineTuneParameters.All)]
    public void FrozenLayers_StayBitIdentical_AndAllChangesTheEmbeddings(FineTuneParameters parameters)
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var before = Weights(encoder.Model);
        int last = encoder.Model.Config.Layers - 1;

        var (classifier, _) = Fit(encoder, parameters);
        using (classifier)
        {
            var after = Weights(classifier.Classifier.Backbone.Module);
            foreach (var (name, values) in before)
            {
                bool trains = parameters switch
                {
                    FineTuneParameters.Head => false,
                    FineTuneParameters.LastBlocks => name.StartsWith($"encoder.layer.{last}.", StringComparison.Ordinal),
                    _ => true,
                };
                if (!trains) Assert.True(values.SequenceEqual(after[name]), $"{name} is frozen under {parameters} but changed");
            }
            if (parameters == FineTuneParameters.All)
                Assert.False(before["embeddings.word_embeddings.weight"].SequenceEqual(after["embeddings.word_embeddings.weight"]));
            if (parameters == FineTuneParameters.LastBlocks)
                Assert.Contains(before, p => p.Key.StartsWith($"encoder.layer.{last}.", StringComparison.Ordinal) && !p.Value.SequenceEqual(after[p.Key]));
        }
    }

    [Fact]
    public void LiveTensors_StayFlat_OverScoringBatches()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var (classifier, data) = Fit(encoder, FineTuneParameters.LoRA);
        using (classifier)
        {
            DataViewValues.Column<float>(classifier.Transform(data), "Score"); // warm-up
            var statistics = DisposeScopeManager.Statistics;
            statistics.Reset();
            var live = new List<long>();
            for (int round = 0; round < 5; round++)
            {
                DataViewValues.Column<float>(classifier.Transform(data), "Score");
                live.Add(statistics.ThreadTotalLiveCount);
            }
            Assert.All(live, count => Assert.Equal(0, count));
        }
    }

    [Fact]
    public void LiveTensors_StayFlat_OverTrainingSteps_OfABert()
    {
        var random = new Random(6);
        var data = Enumerable.Range(0, 40).Select(i =>
        {
            int[] ids = [2, .. Enumerable.Range(0, 1 + random.Next(6)).Select(_ => 10 + random.Next(30)), 3];
            return new ClassificationExample(ids, ids.Contains(25) ? 1 : 0);
        }).ToList();
        using var classifier = new TextClassifier(new BertModel(BertConfig.Tiny, seed: 1), 2, EmbeddingPooling.Mean, seed: 3);
        var options = new ClassifierTrainingOptions { Parameters = FineTuneParameters.LoRA, LoraRank = 4, BatchSize = 4, MaxEpochs = 3, EvaluateEveryNSteps = 5, EvaluationBatches = 2 };
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var live = new List<long>();

        TextClassifierTrainer.Train(classifier, data, data, options, new MLNetLlm.TorchSharp.Tests.Training.SyncProgress<TrainingProgress>(_ => live.Add(statistics.ThreadTotalLiveCount)));

        Assert.Equal(30, live.Count);
        Assert.All(live.Skip(5), count => Assert.Equal(live[5], count)); // from the first evaluation on, the best weights' copy is held too
        long adapters = classifier.named_parameters().Count(p => Lora.IsAdapter(p.name));
        Assert.Equal(adapters, statistics.ThreadTotalLiveCount); // what outlives training: the adapters the model now owns
    }
}
