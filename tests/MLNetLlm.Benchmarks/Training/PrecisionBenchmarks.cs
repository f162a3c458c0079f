using System.Diagnostics;
using System.Globalization;
using MLNetLlm.Embeddings;
using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using TorchSharp;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Training;

/// <summary>
/// fp32 against bf16 (issue 21), each pair measured back to back in rounds that alternate the two, so a change of load
/// during the run touches both: the whole training step of the shared loop (<see cref="GptTrainer"/>,
/// <see cref="TextClassifierTrainer"/>) with <see cref="TrainingOptions.Precision"/>, and serving through
/// <c>InferencePrecision</c>: a forward pass (weights converted to bf16 once) and cached greedy generation (bf16 prompt
/// pass, fp32 cached steps, as a bf16-served decoder transformer runs them). Figures are
/// medians; ratios compare numbers of this run only.
/// </summary>
public static class PrecisionBenchmarks
{
    private static readonly int[] Prompt = [464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13, 383, 3290, 373, 407, 6568, 13];

    private static readonly GptConfig Gpt2 = GptConfig.Gpt2Small with { Dropout = 0.0 };

    /// <summary>Training, then serving (<c>precision</c>).</summary>
    public static void Run(TextWriter output)
    {
        Header(output);
        TrainingRows(output);
        ServingRows(output);
        Footer(output);
    }

    /// <summary>The serving rows alone (<c>precision-serving</c>): minutes instead of the training rows' tens of minutes
    /// on a loaded machine.</summary>
    public static void RunServing(TextWriter output)
    {
        Header(output);
        ServingRows(output);
        Footer(output);
    }

    private static void TrainingRows(TextWriter output)
    {
        Pair(output, "GPT-2 small training step (GptTrainer, AdamW), tokens/s", "2 × 256", rounds: 2, p => 2 * 256 / GptStepSeconds(Gpt2, 2, 256, p));
        Pair(output, "MiniLM-L6-shaped encoder classifier training step (TextClassifierTrainer), texts/s", "16 × 128", rounds: 2,
            p => 16 / ClassifierStepSeconds(BertConfig.MiniLmL6, 16, 128, p));
    }

    private static void ServingRows(TextWriter output)
    {
        Pair(output, "GPT-2 small forward pass, ms (lower is better)", "1 × 256", rounds: 3, p => ForwardMilliseconds(Gpt2, 256, p), lowerIsBetter: true);
        Pair(output, "GPT-2 small cached greedy generation, tokens/s", "16 + 100", rounds: 2, p => GenerationTokensPerSecond(Gpt2, 100, p));
        Pair(output, "tiny GPT (width 32) forward pass, ms (lower is better)", "1 × 64", rounds: 3, p => ForwardMilliseconds(GptConfig.Tiny, 64, p), lowerIsBetter: true);
        Pair(output, "tiny GPT (width 32) cached greedy generation, tokens/s", "16 + 100", rounds: 2, p => GenerationTokensPerSecond(GptConfig.Tiny, 100, p));
    }

    private static void Header(TextWriter output)
    {
        if (get_num_threads() != Environment.ProcessorCount) set_num_threads(Environment.ProcessorCount);
        output.WriteLine(Invariant($"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads, load average {LoadAverage()} at start."));
        output.WriteLine();
        output.WriteLine("| what | shape | fp32 | bf16 | bf16 / fp32 speed |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: |");
    }

    private static void Footer(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine(Invariant($"Load average {LoadAverage()} at the end."));
    }

    // Alternates fp32 and bf16 for the rounds, then reports the median of each.
    private static void Pair(TextWriter output, string what, string shape, int rounds, Func<Precision, double> measure, bool lowerIsBetter = false)
    {
        var fp32 = new List<double>();
        var bf16 = new List<double>();
        for (int round = 0; round < rounds; round++)
        {
            fp32.Add(measure(Precision.Fp32));
            bf16.Add(measure(Precision.Bf16));
        }
        double a = Median(fp32), b = Median(bf16);
        double speed = lowerIsBetter ? a / b : b / a;
        output.WriteLine(Invariant($"| {what} | {shape} | {a:F1} | {b:F1} | {speed:F2}× |"));
        output.Flush();
    }

    private static double GptStepSeconds(GptConfig config, int batch, int length, Precision precision)
    {
        const int warmup = 1, timed = 3;
        using var model = new GptModel(config, seed: 1);
        var random = new Random(1);
        var ids = new long[(long)batch * (warmup + timed) * length];
        for (int i = 0; i < ids.Length; i++) ids[i] = random.Next(config.VocabularySize);
        var windows = new InMemoryTokenWindows(ids, [.. ids.Skip(1), 0L], length);
        var options = new GptTrainingOptions { BatchSize = batch, MaxSteps = warmup + timed, WarmupSteps = 0, EvaluateEveryNSteps = int.MaxValue, Precision = precision };
        return MedianStep(progress => GptTrainer.Train(model, windows, null, options, progress), warmup);
    }

    private static double ClassifierStepSeconds(BertConfig config, int batch, int length, Precision precision)
    {
        const int warmup = 1, timed = 3;
        using var classifier = new TextClassifier(new BertModel(config, seed: 1), 2, EmbeddingPooling.Mean, seed: 2);
        var random = new Random(1);
        var examples = Enumerable.Range(0, batch * (warmup + timed))
            .Select(i => new ClassificationExample([101, .. Enumerable.Range(0, length - 2).Select(_ => 1000 + random.Next(20000)), 102], i % 2))
            .ToList();
        var options = new ClassifierTrainingOptions { BatchSize = batch, MaxSteps = warmup + timed, WarmupSteps = 0, EvaluateEveryNSteps = int.MaxValue, Precision = precision, RestoreBestWeights = false };
        return MedianStep(progress => TextClassifierTrainer.Train(classifier, examples, null, options, progress), warmup);
    }

    private static double MedianStep(Action<IProgress<TrainingProgress>> train, int warmup)
    {
        var steps = new List<double>();
        var watch = Stopwatch.StartNew();
        train(new Inline(p =>
        {
            if (p.Step > warmup) steps.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
        }));
        return Median(steps);
    }

    private static double ForwardMilliseconds(GptConfig config, int length, Precision precision)
    {
        using var model = Served(config, precision);
        using var ids = randint(0, config.VocabularySize, [1, length], generator: new Generator(1));
        void Forward()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.forward(ids);
        }
        Forward(); // warm-up
        var times = Enumerable.Range(0, 5).Select(_ => Time(Forward) * 1000).ToList();
        return Median(times);
    }

    // Generation as a GptTransformer serves it (InferencePrecision.ApplyDecoder): in bf16 the prompt's pass runs bf16
    // products and the cached steps fp32.
    private static double GenerationTokensPerSecond(GptConfig config, int newTokens, Precision precision)
    {
        using var model = new GptModel(config, seed: 1);
        model.eval();
        InferencePrecision.ApplyDecoder(model, precision);
        try
        {
            var generator = new GptGenerator(model, LlmTokenizers.Gpt2());
            var prompt = Prompt.Select(id => id % config.VocabularySize).ToArray();
            var options = new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, StopAtEndOfText = false };
            generator.GenerateIds(prompt, options with { MaxNewTokens = 8 }); // warm-up
            return newTokens / Time(() => generator.GenerateIds(prompt, options));
        }
        finally
        {
            InferencePrecision.Release(model);
        }
    }

    // A model whose weights are converted to bf16 once, as a classifier is served and as a prefill pass computes.
    private static GptModel Served(GptConfig config, Precision precision)
    {
        var model = new GptModel(config, seed: 1);
        model.eval();
        if (precision == Precision.Bf16) model.to(ScalarType.BFloat16);
        return model;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
