using System.Globalization;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Training;

/// <summary>
/// MultipleNegativesRankingLoss on the WordNet training pairs: each example sentence must pick its own gloss among the
/// glosses of its batch, with <c>ml.Transforms.Llm.TrainSentenceEmbedder</c> starting from a copy of the untrained MiniLM.
/// </summary>
internal static class GlossTraining
{
    /// <summary>Trains on <see cref="WordNetPairs.Train"/> and returns the fitted transformer (its <c>Encoder</c> embeds).</summary>
    public static SentenceEmbedderTransformer Train(MLContext ml, WordNetPairs pairs, PretrainedEncoder baseEncoder, Settings settings)
    {
        var options = new TrainSentenceEmbedderOptions
        {
            AnchorColumnName = nameof(SentenceGlossPair.Example),
            PositiveColumnName = nameof(SentenceGlossPair.Gloss),
            Loss = SentenceEmbeddingLoss.MultipleNegativesRanking,
            BaseEncoder = baseEncoder,
            Seed = settings.Seed,
            Training = new SentenceEmbedderTrainingOptions
            {
                MaxEpochs = settings.Epochs,
                BatchSize = settings.BatchSize,
                LearningRate = settings.LearningRate,
                Seed = settings.Seed,
            },
            Progress = new ConsoleProgress("MNRL"),
        };
        return ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(ml.Data.LoadFromEnumerable(pairs.Train));
    }

    /// <summary>Training pairs per second of the fit, from its report.</summary>
    public static double PairsPerSecond(SentenceEmbedderReport report) =>
        (double)report.TrainingPairs * report.EpochLosses.Count / report.Elapsed.TotalSeconds;

    /// <summary>One line on what training did.</summary>
    public static string Describe(SentenceEmbedderReport report, Settings settings) => string.Create(CultureInfo.InvariantCulture,
        $"{report.TrainingPairs} pairs × {report.EpochLosses.Count} epoch(s), batch {settings.BatchSize}, lr {settings.LearningRate:G3}, " +
        $"{report.History.Records.Count} steps, {report.Elapsed.TotalSeconds:F0} s ({PairsPerSecond(report):F1} pairs/s)");

    /// <summary>Prints every 25th step and the last.</summary>
    internal sealed class ConsoleProgress(string name) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.Step % 25 == 0 || p.ValidationLoss is not null || p.Step == p.TotalSteps)
                Console.WriteLine($"  {name}: {p}");
        }
    }
}
