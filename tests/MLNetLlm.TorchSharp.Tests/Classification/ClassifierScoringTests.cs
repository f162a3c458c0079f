using MLNetLlm.Embeddings;
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
public class ClassifierScoringTests
{
    [Theory]
    [InlineData(EmbeddingPooling.LastToken)]
    [InlineData(EmbeddingPooling.Mean)]
    public void Padding_never_changes_a_score(EmbeddingPooling pooling)
    {
        using var classifier = ClassificationData.Classifier(pooling, seed: 3);
        using (no_grad()) classifier.Score.weight!.mul_(50); // spread the probabilities, so a change would show
        int[] text = [4, 1, 7, 2];
        int[][] longer = [[5, 6, 7, 8, 9, 10, 11, 12, 13], [2, 3, 1, 3, 2, 3, 1, 3, 2, 3, 1, 3, 2, 3, 1], [9, 9, 9, 9, 9, 9]];

        var alone = classifier.PredictProbabilities([text])[0];
        var inBatch = classifier.PredictProbabilities([longer[0], text, longer[1], longer[2]], batchSize: 4)[1];

        Assert.True(Math.Abs(alone[0] - 0.5) > 0.05, $"probabilities {alone[0]}, {alone[1]} are too close to chance for the test to mean anything");
        for (int c = 0; c < 2; c++) Assert.Equal(alone[c], inBatch[c], 1e-5f);
    }

    [Fact]
    public void Scores_come_back_in_input_order_whatever_the_batch_size_and_long_texts_keep_their_first_tokens()
    {
        using var classifier = ClassificationData.Classifier(seed: 3);
        var texts = ClassificationData.WordOrder(10, seed: 4).Select(e => e.TokenIds).ToList();
        var one = texts.Select(t => classifier.PredictProbabilities([t])[0]).ToList();

        var batched = classifier.PredictProbabilities(texts, batchSize: 3);

        for (int i = 0; i < texts.Count; i++)
            for (int c = 0; c < 2; c++) Assert.Equal(one[i][c], batched[i][c], 1e-5f);
        var tooLong = Enumerable.Range(0, 40).Select(i => 3 + i % 17).ToArray(); // context is 16
        Assert.Equal(classifier.PredictProbabilities([tooLong[..16]])[0], classifier.PredictProbabilities([tooLong])[0]);
        Assert.Equal(classifier.PredictProbabilities([tooLong[..5]])[0], classifier.PredictProbabilities([tooLong], maxLength: 5)[0]);
    }

    [Fact]
    public void Scoring_refuses_an_empty_text_or_an_unknown_id_naming_its_index()
    {
        using var classifier = ClassificationData.Classifier();

        var empty = Assert.Throws<ArgumentException>("sequences", () => classifier.PredictProbabilities([[3, 4], []]));
        Assert.Contains("Sequence 1 has no tokens", empty.Message, StringComparison.Ordinal);
        var unknown = Assert.Throws<ArgumentException>("sequences", () => classifier.PredictProbabilities([[3, 25]]));
        Assert.Contains("Sequence 0 has token id 25", unknown.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>("maxLength", () => classifier.PredictProbabilities([[3]], maxLength: 17));
        Assert.Throws<ArgumentOutOfRangeException>("batchSize", () => classifier.PredictProbabilities([[3]], batchSize: 0));
    }

    [Fact]
    public void A_saved_classifier_loads_with_identical_scores_and_a_foreign_folder_is_refused()
    {
        using var folder = new TemporaryFolder();
        using var classifier = ClassificationData.Classifier(seed: 6);
        var texts = ClassificationData.WordOrder(6, seed: 1).Select(e => e.TokenIds).ToList();

        TextClassifierCheckpoint.Save(classifier, folder.File("classifier"));
        using var loaded = TextClassifierCheckpoint.Load(folder.File("classifier"));

        Assert.Equal(classifier.PredictProbabilities(texts), loaded.PredictProbabilities(texts));
        Assert.Equal(classifier.named_parameters().Select(p => p.name), loaded.named_parameters().Select(p => p.name));
        GptCheckpoint.Save(((GptModel)classifier.Backbone), folder.File("gpt"));
        var foreign = Assert.Throws<FileNotFoundException>(() => TextClassifierCheckpoint.Load(folder.File("gpt")));
        Assert.Contains("classifier.json", foreign.Message, StringComparison.Ordinal);
        File.WriteAllText(folder.File("classifier/classifier.json"), "{\"format\": \"something else\"}");
        Assert.Throws<InvalidDataException>(() => TextClassifierCheckpoint.Load(folder.File("classifier")));
    }

    [Fact]
    public void The_live_tensor_count_stays_flat_over_training_steps_and_scoring_batches()
    {
        using var classifier = ClassificationData.Classifier();
        var data = ClassificationData.WordOrder(40, seed: 2);
        var options = new ClassifierTrainingOptions { Parameters = FineTuneParameters.LoRA, LoraRank = 4, BatchSize = 4, MaxEpochs = 3, EvaluateEveryNSteps = 5, EvaluationBatches = 2 };
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var live = new List<long>();

        TextClassifierTrainer.Train(classifier, data, data, options, new SyncProgress<TrainingProgress>(_ => live.Add(statistics.ThreadTotalLiveCount)));

        Assert.Equal(30, live.Count);
        Assert.All(live.Skip(5), count => Assert.Equal(live[5], count)); // from the first evaluation on, the best weights' copy is held too
        Assert.Equal(2 * 4 * 2, statistics.ThreadTotalLiveCount); // what outlives training: the adapters the model now owns

        var texts = data.Select(e => e.TokenIds).ToList();
        for (int i = 0; i < 3; i++) classifier.PredictProbabilities(texts, batchSize: 4);
        Assert.Equal(2 * 4 * 2, statistics.ThreadTotalLiveCount);
    }
}
