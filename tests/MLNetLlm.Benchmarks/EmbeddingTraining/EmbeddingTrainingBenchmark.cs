using System.Diagnostics;
using System.Globalization;
using MLNetLlm.Datasets;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.EmbeddingTraining;

/// <summary>
/// Contrastive training speed of all-MiniLM-L6-v2 on short sentence pairs (consecutive Brown-corpus sentences of 6 to
/// 20 words): training pairs/s of <c>TrainSentenceEmbedder</c> with MultipleNegativesRankingLoss and with
/// CosineSimilarityLoss (batch / median optimizer step, the first step left out), beside the same encoder embedding the
/// same pairs without gradients (<c>PretrainedEncoder.Embed</c>, batches of 32 texts) in the same run: the reference
/// that says what a training step costs over a forward pass.
/// </summary>
public static class EmbeddingTrainingBenchmark
{
    private const int BatchSize = 16;
    private const int Steps = 8;

    /// <summary>A pair of consecutive sentences.</summary>
    public sealed class Pair
    {
        public string Anchor { get; set; } = "";
        public string Positive { get; set; } = "";
        public string Negative { get; set; } = "";
    }

    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var pairs = Pairs(ml, BatchSize * Steps);
        if (get_num_threads() != Environment.ProcessorCount) set_num_threads(Environment.ProcessorCount);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{pairs.Count} pairs of consecutive Brown sentences (6-20 words, {pairs.Average(p => p.Anchor.Split(' ').Length + p.Positive.Split(' ').Length) / 2:F1} words a text on average); " +
            $"batches of {BatchSize} pairs, {Steps} steps; {Environment.ProcessorCount} cores, {get_num_threads()} torch threads; load average {LoadAverage()} at the start."));
        output.WriteLine();

        using var encoder = PretrainedEncoders.MiniLmL6V2();
        var texts = pairs.SelectMany(p => new[] { p.Anchor, p.Positive }).ToList();
        encoder.Embed(texts.Take(32).ToList(), 32); // warm-up
        var embedSeconds = new List<double>();
        for (int pass = 0; pass < 3; pass++)
            embedSeconds.Add(Time(() => encoder.Embed(texts, 32)));
        double embedPairs = pairs.Count / Median(embedSeconds);

        var data = ml.Data.LoadFromEnumerable(pairs);
        double mnrl = TrainPairsPerSecond(ml, data, encoder, SentenceEmbeddingLoss.MultipleNegativesRanking, null);
        double cosine = TrainPairsPerSecond(ml, data, encoder, SentenceEmbeddingLoss.CosineSimilarity, "Negative");

        output.WriteLine("| what | pairs/s | vs embedding without gradients |");
        output.WriteLine("| --- | ---: | ---: |");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| MiniLM embeds both texts, no gradients (reference) | {embedPairs:F1} | 1.00x |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| TrainSentenceEmbedder, MultipleNegativesRankingLoss | {mnrl:F1} | {mnrl / embedPairs:F2}x |"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| TrainSentenceEmbedder, CosineSimilarityLoss (pair + hard-negative pair) | {cosine:F1} | {cosine / embedPairs:F2}x |"));
        output.WriteLine();
        output.WriteLine($"Load average {LoadAverage()} at the end.");
    }

    // Pairs per second of one training run: batch size / median step time, the first step (allocations) left out.
    private static double TrainPairsPerSecond(MLContext ml, IDataView data, PretrainedEncoder encoder, SentenceEmbeddingLoss loss, string? negative)
    {
        var steps = new List<double>();
        var watch = Stopwatch.StartNew();
        var options = new TrainSentenceEmbedderOptions
        {
            BaseEncoder = encoder,
            Loss = loss,
            NegativeColumnName = negative,
            Seed = 1,
            Training = new SentenceEmbedderTrainingOptions { BatchSize = BatchSize, MaxEpochs = 1 },
            Progress = new StepTimer(() => { steps.Add(watch.Elapsed.TotalSeconds); watch.Restart(); }),
        };
        watch.Restart();
        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(data);
        int pairsPerStep = trained.Report!.TrainingPairs / steps.Count;
        return pairsPerStep / Median(steps.Skip(1).ToList());
    }

    private static List<Pair> Pairs(MLContext ml, int count)
    {
        var sentences = ml.Data.CreateEnumerable<BrownDocument>(ml.Data.Llm.LoadBrownCorpus(), reuseRowObject: false)
            .SelectMany(d => d.Text.Split(['.', '?', '!'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .Select(s => string.Join(' ', s.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)))
            .ToList();
        var pairs = new List<Pair>();
        for (int i = 0; i + 2 < sentences.Count && pairs.Count < count; i += 3)
        {
            if (new[] { sentences[i], sentences[i + 1], sentences[i + 2] }.All(s => s.Split(' ').Length is >= 6 and <= 20))
                pairs.Add(new Pair { Anchor = sentences[i], Positive = sentences[i + 1], Negative = sentences[i + 2] });
        }
        return pairs;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed class StepTimer(Action step) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => step();
    }
}
