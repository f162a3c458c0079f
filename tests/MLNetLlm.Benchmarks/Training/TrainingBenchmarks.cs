using System.Diagnostics;
using System.Globalization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Training;

/// <summary>
/// Training throughput of <see cref="GptTrainer"/> (forward, backward, clipping, AdamW: the whole step) for the tiny
/// config and a GPT-2-small-shaped model at batch 2 × 256, as tokens/s and model FLOPs utilisation: 6 · parameters ·
/// tokens/s over the fp32 matmul FLOP/s of a 1024 × 1024 × 1024 product (best of 5 × 10) measured in the same run,
/// just before and after each model's steps. Also the peak
/// resident memory of each (Linux VmHWM, reset before each model with /proc/self/clear_refs) and the time to write and
/// read a GPT-2 small checkpoint: the model alone (<see cref="GptCheckpoint"/>) and a whole training checkpoint
/// (model, AdamW moments, training state).
/// </summary>
public static class TrainingBenchmarks
{
    public static void Run(TextWriter output)
    {
        if (get_num_threads() != Environment.ProcessorCount) set_num_threads(Environment.ProcessorCount);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads."));
        output.WriteLine();
        output.WriteLine("| model | parameters | batch | steps timed | median s/step | tokens/s | matmul GFLOP/s (before, after) | MFU | peak RSS (MB) |");
        output.WriteLine("| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        Throughput(output, "tiny (`GptConfig.Tiny`)", GptConfig.Tiny, batch: 8, length: 64, warmup: 3, timed: 30);
        Throughput(output, "GPT-2 small shape (`Gpt2Small`, dropout 0)", GptConfig.Gpt2Small with { Dropout = 0.0 }, batch: 2, length: 256, warmup: 1, timed: 5);
        output.WriteLine();
        Checkpoints(output);
    }

    private static double MatmulFlops()
    {
        using var scope = NewDisposeScope();
        var a = randn(1024, 1024);
        var b = randn(1024, 1024);
        matmul(a, b); // warm up
        double best = double.MaxValue;
        for (int run = 0; run < 5; run++)
        {
            var watch = Stopwatch.StartNew();
            for (int i = 0; i < 10; i++) matmul(a, b).Dispose();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
        }
        return 10 * 2.0 * 1024 * 1024 * 1024 / best;
    }

    // The matmul rate is measured right before and right after the training run and averaged, so MFU compares like with
    // like on a machine whose load changes; a step's time is the median of the timed steps.
    private static void Throughput(TextWriter output, string name, GptConfig config, int batch, int length, int warmup, int timed)
    {
        ResetPeakResident();
        using var model = new GptModel(config, seed: 1);
        var random = new Random(1);
        var ids = new long[(long)batch * (warmup + timed) * length];
        for (int i = 0; i < ids.Length; i++) ids[i] = random.Next(config.VocabularySize);
        var targets = ids.Skip(1).Append(0L).ToArray();
        var windows = new InMemoryTokenWindows(ids, targets, length);
        var options = new GptTrainingOptions { BatchSize = batch, MaxSteps = warmup + timed, WarmupSteps = 0, EvaluateEveryNSteps = int.MaxValue };
        var stepTimes = new List<double>();
        var watch = new Stopwatch();
        double before = MatmulFlops();
        GptTrainer.Train(model, windows, null, options, new Inline(p =>
        {
            if (p.Step > warmup) stepTimes.Add(watch.Elapsed.TotalSeconds);
            watch.Restart();
        }));
        double after = MatmulFlops();
        stepTimes.Sort();
        double median = stepTimes[stepTimes.Count / 2];
        double tokensPerSecond = batch * length / median;
        double mfu = 6.0 * model.ParameterCount * tokensPerSecond / ((before + after) / 2);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {name} | {model.ParameterCount / 1e6:F2} M | {batch} × {length} | {timed} | {median:F3} | {tokensPerSecond:F0} | {before / 1e9:F1}, {after / 1e9:F1} | {mfu:P0} | {PeakResidentMegabytes()} |"));
    }

    private static void Checkpoints(TextWriter output)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlnetllm-training-benchmark-" + Guid.NewGuid().ToString("N"));
        try
        {
            var options = new GptTrainingOptions();
            using var model = new GptModel(GptConfig.Gpt2Small, seed: 1);
            var windows = InMemoryTokenWindows.FromTokens([1, 2, 3], 2);
            var task = new LanguageModelTask(model, windows, null, options);
            using var optimizer = new AdamW(model.named_parameters(), options);
            var store = CheckpointStore.Open(folder, keep: 1);

            double saveModel = Time(() => GptCheckpoint.Save(model, Path.Combine(folder, "model")));
            double loadModel = Time(() => GptCheckpoint.Load(Path.Combine(folder, "model")).Model.Dispose());
            string? checkpoint = null;
            double saveTraining = Time(() => checkpoint = store.Save(new TrainingState { Step = 1, Data = new(task.Fingerprint) }, task, optimizer, []));
            double loadTraining = Time(() =>
            {
                task.LoadModel(checkpoint!);
                optimizer.Load(Path.Combine(checkpoint!, CheckpointStore.OptimizerFileName), 1);
            });
            long modelMb = Directory.GetFiles(Path.Combine(folder, "model")).Sum(f => new FileInfo(f).Length) >> 20;
            long trainingMb = Directory.GetFiles(checkpoint!).Sum(f => new FileInfo(f).Length) >> 20;
            output.WriteLine("| GPT-2 small checkpoint | size (MB) | save (s) | load (s) |");
            output.WriteLine("| --- | ---: | ---: | ---: |");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| model only (`GptCheckpoint.Save`/`Load`, new model) | {modelMb} | {saveModel:F2} | {loadModel:F2} |"));
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| training checkpoint (model + AdamW moments + state; load into the live model and optimizer) | {trainingMb} | {saveTraining:F2} | {loadTraining:F2} |"));
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class Inline(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
