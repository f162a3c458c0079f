using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;

namespace MLNetLlm.TorchSharp.Tests.EmbeddingTraining;

/// <summary>
/// Pairs over the tiny BERT's vocabulary: each pair's two texts share one topic word among different filler words, so
/// an encoder learns to match a text to its partner by that word; and options that train the tiny encoder quickly.
/// </summary>
internal static class TinyPairs
{
    private static readonly string[] Topics = ["cat", "dog", "man", "woman", "sky", "sun", "rain", "music", "book", "guitar", "mat", "day"];
    private static readonly string[] Filler = ["the", "is", "on", "at", "red", "blue", "fast", "slow", "of", "to", "and", "in"];

    public static List<PairRow> Rows(int count, int seed)
    {
        var random = new Random(seed);
        string Sentence(string topic)
        {
            var words = Enumerable.Range(0, 2 + random.Next(3)).Select(_ => Filler[random.Next(Filler.Length)]).ToList();
            words.Insert(random.Next(words.Count + 1), topic);
            return string.Join(" ", words);
        }
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            string topic = Topics[i % Topics.Length], other = Topics[(i + 1 + random.Next(Topics.Length - 1)) % Topics.Length];
            return new PairRow { Anchor = Sentence(topic), Positive = Sentence(topic), Negative = Sentence(other), Topic = topic };
        })];
    }

    public static TrainSentenceEmbedderOptions Options(PretrainedEncoder encoder, int epochs = 4, SentenceEmbeddingLoss loss = SentenceEmbeddingLoss.MultipleNegativesRanking) => new()
    {
        BaseEncoder = encoder,
        Loss = loss,
        Seed = 3,
        EmbeddingBatchSize = 5,
        Training = new SentenceEmbedderTrainingOptions
        {
            MaxEpochs = epochs,
            BatchSize = 6,
            LearningRate = 3e-3,
            MinLearningRate = 3e-4,
            WarmupSteps = 1,
            EvaluateEveryNSteps = 4,
        },
    };

    public sealed class PairRow
    {
        public string Anchor { get; set; } = "";
        public string Positive { get; set; } = "";
        public string Negative { get; set; } = "";
        public string Topic { get; set; } = "";
    }
}
