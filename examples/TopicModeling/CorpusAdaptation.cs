using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Training;

/// <summary>
/// Adapts MiniLM to a corpus without any label: MultipleNegativesRankingLoss on pairs of two snippets of the same
/// document (the positive) against the other pairs' snippets of the batch (the negatives), with
/// <c>ml.Transforms.Llm.TrainSentenceEmbedder</c>. The encoder learns what tells one document from another in this
/// corpus (its subject and its way of writing), which is what a topic model groups by. A user can do this on any
/// corpus of long texts; the genres are not read.
/// </summary>
internal static class CorpusAdaptation
{
    /// <summary>Words per snippet: short, so a training step stays affordable on the loaded CPU (about 65 word pieces).</summary>
    public const int SnippetWords = 48;

    /// <summary>Pairs drawn from each document (one epoch over them all): one, so a batch never holds two pairs of one
    /// document (which would be a false negative), and the 16 steps fit the loaded machine.</summary>
    public const int PairsPerDocument = 1;

    /// <summary>The learning rate: 5e-5, the top of BERT's usual fine-tuning range, since 16 steps at the trainer's
    /// default 2e-5 barely move the weights. Chosen before any run, not tuned.</summary>
    public const double LearningRate = 5e-5;

    /// <summary>(anchor, positive) snippet pairs: each from one document, the two never overlapping; the same pairs for the same seed.</summary>
    public static List<SnippetPair> Pairs(IReadOnlyList<string> documents, int seed)
    {
        var random = new Random(seed);
        var pairs = new List<SnippetPair>();
        foreach (var text in documents)
        {
            var words = text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
            int snippets = words.Length / SnippetWords; // non-overlapping slots
            if (snippets < 2)
                continue;
            for (int r = 0; r < PairsPerDocument; r++)
            {
                int a = random.Next(snippets), b = random.Next(snippets - 1);
                if (b >= a) b++;
                pairs.Add(new SnippetPair { Anchor = Snippet(words, a), Positive = Snippet(words, b) });
            }
        }
        return pairs;
    }

    /// <summary>MiniLM trained on <see cref="Pairs"/>: one epoch, batches of 32 pairs, <see cref="LearningRate"/> decaying to 0, the trainer's other defaults.</summary>
    public static SentenceEmbedderTransformer Train(MLContext ml, IReadOnlyList<string> documents, int seed)
    {
        var pairs = Pairs(documents, seed);
        var options = new TrainSentenceEmbedderOptions
        {
            Loss = SentenceEmbeddingLoss.MultipleNegativesRanking,
            Seed = seed,
            Training = new SentenceEmbedderTrainingOptions { BatchSize = 32, LearningRate = LearningRate, Seed = seed },
            Progress = new Progress<TrainingProgress>(p => Console.Error.WriteLine($"adaptation: {p}")),
        };
        Console.WriteLine($"Corpus adaptation: {pairs.Count} snippet pairs of {SnippetWords} words ({PairsPerDocument} a document), MNRL, batches of 32, learning rate {LearningRate:G2}.");
        return ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(ml.Data.LoadFromEnumerable(pairs));
    }

    private static string Snippet(string[] words, int slot) => string.Join(' ', words, slot * SnippetWords, SnippetWords);

    /// <summary>One training pair.</summary>
    internal sealed class SnippetPair
    {
        public string Anchor { get; set; } = "";
        public string Positive { get; set; } = "";
    }
}
