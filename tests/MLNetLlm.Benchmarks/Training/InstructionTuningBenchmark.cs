using System.Diagnostics;
using System.Globalization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Training;

/// <summary>
/// Training tokens/s of instruction tuning against pretraining on the shipped brown-gpt (3.3M parameters), the same
/// training loop, batch 16 × 96 tokens, all weights trained: the pretraining step on token windows
/// (<see cref="LanguageModelTask"/>), the instruction step (<see cref="InstructionTask"/>: collation, prompt masked)
/// on examples of the same length, on examples of WordNet-like varied lengths (48 to 96 tokens: padded to the
/// longest of the batch, only real tokens counted, so the padding's cost shows), and with LoRA rank 16.
/// Each variant runs 3 rounds, interleaved, of 1 warm-up and 5 timed steps; the figure is the median step over all
/// timed steps, so a load change on the shared machine touches every variant alike.
/// </summary>
public static class InstructionTuningBenchmark
{
    private const int Batch = 16, Length = 96, Warmup = 1, Timed = 5, Rounds = 3;

    public static void Run(TextWriter output)
    {
        if (get_num_threads() != Environment.ProcessorCount) set_num_threads(Environment.ProcessorCount);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads, load average {LoadAverage()} at the start."));
        output.WriteLine();
        var variants = new (string Name, Func<List<double>, double> Step)[]
        {
            ("pretraining (`LanguageModelTask`, windows)", Pretraining),
            ("instruction tuning, same lengths, prompt masked", times => Instructions(times, varied: false, InstructionParameters.All)),
            ("instruction tuning, lengths 48-96 (padded; real tokens counted)", times => Instructions(times, varied: true, InstructionParameters.All)),
            ("instruction tuning, same lengths, LoRA rank 16", times => Instructions(times, varied: false, InstructionParameters.LoRA)),
        };
        var stepTimes = variants.Select(_ => new List<double>()).ToArray();
        var tokensPerStep = new double[variants.Length];
        for (int round = 0; round < Rounds; round++)
            for (int v = 0; v < variants.Length; v++)
                tokensPerStep[v] = variants[v].Step(stepTimes[v]);

        output.WriteLine("| training step (brown-gpt, batch 16 × 96) | steps timed | median s/step | tokens/s | vs pretraining |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        double reference = 0;
        for (int v = 0; v < variants.Length; v++)
        {
            var sorted = stepTimes[v].Order().ToList();
            double median = sorted[sorted.Count / 2], rate = tokensPerStep[v] / median;
            if (v == 0) reference = rate;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {variants[v].Name} | {sorted.Count} | {median:F3} | {rate:F0} | {rate / reference:F2}x |"));
        }
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Load average {LoadAverage()} at the end."));
    }

    private static GptModel Brown() => (GptModel)GptFolder.Load(GptModels.BrownPath).Model;

    private static double Pretraining(List<double> times)
    {
        using var model = Brown();
        var random = new Random(1);
        var ids = new long[(long)Batch * (Warmup + Timed) * Length];
        for (int i = 0; i < ids.Length; i++) ids[i] = random.Next(model.Config.VocabularySize);
        var windows = new InMemoryTokenWindows(ids, [.. ids.Skip(1).Append(0L)], Length);
        var options = Options();
        Time(new LanguageModelTask(model, windows, null, options), options, times);
        return Batch * Length;
    }

    private static double Instructions(List<double> times, bool varied, InstructionParameters parameters)
    {
        using var model = Brown();
        var random = new Random(2);
        var examples = new List<InstructionExample>();
        long realTokens = 0;
        for (int i = 0; i < Batch * (Warmup + Timed); i++)
        {
            int length = varied ? random.Next(Length / 2, Length + 1) : Length;
            var ids = Enumerable.Range(0, length + 1).Select(_ => random.Next(model.Config.VocabularySize)).ToArray();
            examples.Add(new InstructionExample(ids, PromptTokens: length * 2 / 3));
            realTokens += length;
        }
        var options = Options() with { Parameters = parameters, LoraRank = 16, LoraAlpha = 32 };
        var (_, description) = TunedGpt.Prepare(model, parameters, options.LoraRank, options.LoraAlpha, seed: 1);
        // The loop keeps the examples in a seeded order, so every step sees a fair share of the lengths.
        Time(new InstructionTask(model, examples, null, options, padId: 0, maskPrompt: true, description), options, times);
        return (double)realTokens / examples.Count * Batch;
    }

    private static InstructionTuningOptions Options() =>
        new() { BatchSize = Batch, MaxSteps = Warmup + Timed, WarmupSteps = 0, EvaluateEveryNSteps = int.MaxValue, RestoreBestWeights = false };

    private static void Time(ITrainingTask task, TrainingOptions options, List<double> times)
    {
        var watch = new Stopwatch();
        new TrainingLoop(task, options, new Inline(p =>
        {
            if (p.Step > Warmup) times.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
        }), null).Run(CancellationToken.None);
    }

    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
