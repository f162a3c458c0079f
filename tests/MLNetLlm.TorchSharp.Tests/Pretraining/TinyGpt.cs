using Microsoft.ML;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.Pretraining;

/// <summary>Small corpora, a small BPE tokenizer and a tiny model shape, so pretraining tests take seconds.</summary>
internal static class TinyGpt
{
    private static readonly string[] Subjects = ["the jury", "the county", "a report", "the city", "the court", "our mayor"];
    private static readonly string[] Verbs = ["said", "found", "voted", "praised", "asked", "denied"];
    private static readonly string[] Objects = ["the election", "the new law", "a tax plan", "the budget", "its records", "the school board"];

    /// <summary>A seeded corpus of short English-like documents.</summary>
    public static List<Doc> Corpus(int documents, int sentences = 6, int seed = 1)
    {
        var random = new Random(seed);
        string Pick(string[] words) => words[random.Next(words.Length)];
        return [.. Enumerable.Range(0, documents).Select(d => new Doc
        {
            Text = string.Join(" ", Enumerable.Range(0, sentences).Select(_ => $"{Capital(Pick(Subjects))} {Pick(Verbs)} {Pick(Objects)}.")),
            Prompt = Capital(Pick(Subjects)),
        })];
    }

    public static IDataView Data(MLContext ml, int documents = 40, int sentences = 6) => ml.Data.LoadFromEnumerable(Corpus(documents, sentences));

    public static LlmTokenizer Tokenizer { get; } = BpeTrainer.Train(Corpus(40).Select(d => d.Text), new BpeTrainerOptions { VocabularySize = 300 });

    public static GptConfig Config { get; } = new() { VocabularySize = 300, ContextLength = 16, EmbeddingSize = 32, Heads = 2, Layers = 2, Dropout = 0 };

    /// <summary>Options that train for a few steps only.</summary>
    public static GptPretrainingOptions Options(int steps = 3) => new()
    {
        Tokenizer = Tokenizer,
        Model = Config,
        ValidationFraction = 0.2,
        Seed = 7,
        Generation = new() { Greedy = true, MaxNewTokens = 4 },
        ScoringBatchSize = 3,
        Training = new GptTrainingOptions { MaxSteps = steps, MaxEpochs = 1000, BatchSize = 4, EvaluateEveryNSteps = 2, EvaluationBatches = 2, LearningRate = 3e-3, MinLearningRate = 3e-4 },
    };

    private static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    public sealed class Doc
    {
        public string Text { get; set; } = "";
        public string Prompt { get; set; } = "";
    }
}
