using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Onnx;

/// <summary>
/// ONNX Runtime against TorchSharp on the same GPT (issue 7), in one run: forward latency at batch 1 and batch 32, and
/// greedy generation tokens/s (ONNX Runtime with the past key/value export and <see cref="OnnxGptGenerator"/>, TorchSharp
/// with its KV cache), for the tiny config and the GPT-2 small shape, random weights. Both use every core: torch's
/// default threads, ONNX Runtime's session as <see cref="LlmOnnxModel"/> opens it (all graph optimisations,
/// one intra-op thread per core, sequential execution). Times are medians.
/// </summary>
public static class OnnxBenchmarks
{
    private static readonly int[] Prompt = [464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13, 383, 3290, 373, 407, 6568, 13];

    /// <summary>Runs the comparison and writes markdown tables to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        var tokenizer = LlmTokenizers.Gpt2();
        output.WriteLine($"Machine: {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, ONNX Runtime intra-op threads {Environment.ProcessorCount}, " +
                         $"load average {LoadAverage()} at start.");
        output.WriteLine();
        var folder = Directory.CreateTempSubdirectory("mlnetllm-onnx-bench-");
        var forward = new List<string>();
        var generation = new List<string>();
        var sessions = new List<string>();
        try
        {
            foreach (var (name, config, shortTime, batchTime, newTokens, repeats) in new[]
            {
                ("tiny", GptConfig.Tiny, 64, 64, 200, 20),
                ("GPT-2 small", GptConfig.Gpt2Small, 128, 32, 50, 3),
            })
            {
                using var model = new GptModel(config, seed: 1);
                model.eval();
                var logitsPath = Path.Combine(folder.FullName, $"{config.Layers}-logits.onnx");
                var withPastPath = Path.Combine(folder.FullName, $"{config.Layers}-with-past.onnx");
                OnnxExporter.Export(model, tokenizer, logitsPath);
                OnnxExporter.Export(model, tokenizer, withPastPath, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });

                using (var onnx = LlmOnnxModel.Open(logitsPath, tokenizer))
                {
                    foreach (var (batch, time) in new[] { (1, shortTime), (32, batchTime) })
                    {
                        var ids = RandomIds(batch * time, config.VocabularySize);
                        double torchMs = Milliseconds(() => TorchForward(model, ids, batch, time), repeats);
                        double onnxMs = Milliseconds(() => OnnxForward(onnx.Session, ids, batch, time), repeats);
                        forward.Add($"| {name} | {batch} × {time} | {torchMs:F1} | {onnxMs:F1} | {torchMs / onnxMs:F2}× |");
                    }

                    // What the session options buy, batch 1: ONNX Runtime's defaults, and basic graph optimisations only.
                    var single = RandomIds(shortTime, config.VocabularySize);
                    double ours = Milliseconds(() => OnnxForward(onnx.Session, single, 1, shortTime), repeats);
                    using var defaults = new InferenceSession(logitsPath);
                    double byDefault = Milliseconds(() => OnnxForward(defaults, single, 1, shortTime), repeats);
                    using var basicOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC, IntraOpNumThreads = Environment.ProcessorCount };
                    using var basic = new InferenceSession(logitsPath, basicOptions);
                    double basicMs = Milliseconds(() => OnnxForward(basic, single, 1, shortTime), repeats);
                    sessions.Add($"| {name} | 1 × {shortTime} | {byDefault:F1} | {basicMs:F1} | {ours:F1} |");
                }

                var torchGenerator = new GptGenerator(model, tokenizer);
                using var onnxGenerator = new OnnxGptGenerator(withPastPath, tokenizer);
                var torchOptions = new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, StopAtEndOfText = false };
                var onnxOptions = new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, StopAtEndOfText = false };
                torchGenerator.GenerateIds(Prompt, torchOptions with { MaxNewTokens = 8 }); // warm-up
                onnxGenerator.GenerateIds(Prompt, onnxOptions with { MaxNewTokens = 8 });
                int[] torchIds = [], onnxIds = [];
                double torchRate = newTokens / (Milliseconds(() => torchIds = torchGenerator.GenerateIds(Prompt, torchOptions), 3, warmUps: 0) / 1000);
                double onnxRate = newTokens / (Milliseconds(() => onnxIds = onnxGenerator.GenerateIds(Prompt, onnxOptions), 3, warmUps: 0) / 1000);
                generation.Add($"| {name} | {newTokens} | {torchRate:F1} | {onnxRate:F1} | {onnxRate / torchRate:F2}× | {(torchIds.SequenceEqual(onnxIds) ? "yes" : "no")} |");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        output.WriteLine("| forward pass to logits | batch × tokens | TorchSharp ms | ONNX Runtime ms | ONNX Runtime speed-up |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        forward.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine("| ONNX Runtime session (forward to logits) | batch × tokens | defaults ms | basic graph optimisations ms | LlmOnnxModel's options ms |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        sessions.ForEach(output.WriteLine);
        output.WriteLine();
        output.WriteLine("| greedy generation (prompt 16 tokens, KV cache / past key-values) | new tokens | TorchSharp tokens/s | ONNX Runtime tokens/s | ONNX Runtime speed-up | same tokens |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
        generation.ForEach(output.WriteLine);
    }

    private static long[] RandomIds(int count, int vocabulary)
    {
        var random = new Random(1);
        return [.. Enumerable.Range(0, count).Select(_ => (long)random.Next(vocabulary))];
    }

    private static void TorchForward(GptModel model, long[] ids, int batch, int time)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.forward(tensor(ids, [batch, time]));
    }

    private static void OnnxForward(InferenceSession session, long[] ids, int batch, int time)
    {
        var mask = new long[ids.Length];
        Array.Fill(mask, 1L);
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [batch, time]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [batch, time]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask], [idsValue, maskValue], [LlmOnnxNames.Logits]);
    }

    // Median of the repeats after the warm-ups, in milliseconds: the machine is shared, so the median resists outliers.
    private static double Milliseconds(Action action, int repeats, int warmUps = 1)
    {
        for (int i = 0; i < warmUps; i++) action();
        var times = new double[repeats];
        for (int i = 0; i < repeats; i++)
        {
            var stopwatch = Stopwatch.StartNew();
            action();
            times[i] = stopwatch.Elapsed.TotalMilliseconds;
        }
        Array.Sort(times);
        return times[repeats / 2];
    }
}
