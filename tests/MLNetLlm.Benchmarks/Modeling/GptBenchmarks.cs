using System.Diagnostics;
using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using TorchSharp;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Modeling;

/// <summary>
/// GPT model benchmarks (issue 4): forward latency (fused SDPA against explicit attention, float32 against bfloat16),
/// generation tokens/s with and without the KV cache, and model FLOPs utilisation of a training step against the fp32
/// matmul FLOP/s measured in the same run. Prints markdown tables; every ratio compares numbers of this one run.
/// </summary>
public static class GptBenchmarks
{
    private static readonly int[] Prompt = [464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13, 383, 3290, 373, 407, 6568, 13];

    /// <summary>Runs every GPT benchmark and writes the tables to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        var tokenizer = LlmTokenizers.Gpt2();
        double matmulFlops = MatmulFlopsPerSecond(1024);
        output.WriteLine($"Machine: {Environment.ProcessorCount} cores, torch threads {get_num_threads()}, load average {LoadAverage()} at start, " +
                         $"fp32 matmul (1024³) {matmulFlops / 1e9:F1} GFLOP/s.");
        output.WriteLine();

        output.WriteLine("| forward pass (batch 1) | tokens | attention | dtype | ms |");
        output.WriteLine("| --- | ---: | --- | --- | ---: |");
        foreach (var (name, config, time) in new[] { ("tiny", GptConfig.Tiny, 64), ("GPT-2 small", GptConfig.Gpt2Small, 256) })
        {
            using var model = new GptModel(config, seed: 1);
            model.eval();
            var ids = randint(0, config.VocabularySize, [1, time], generator: new Generator(1)).DetachFromDisposeScope();
            foreach (var attention in new[] { AttentionImplementation.ScaledDotProduct, AttentionImplementation.Explicit })
            {
                model.Attention = attention;
                output.WriteLine($"| {name} | {time} | {attention} | float32 | {Milliseconds(() => Forward(model, ids), repeats: config == GptConfig.Tiny ? 50 : 3):F1} |");
            }
            model.Attention = AttentionImplementation.ScaledDotProduct;
            model.to(ScalarType.BFloat16);
            output.WriteLine($"| {name} | {time} | {AttentionImplementation.ScaledDotProduct} | bfloat16 | {Milliseconds(() => Forward(model, ids), repeats: config == GptConfig.Tiny ? 50 : 3):F1} |");
            ids.Dispose();
        }
        output.WriteLine();

        output.WriteLine("| greedy generation (prompt 16 tokens) | new tokens | dtype | tokens/s without cache | tokens/s with KV cache | speed-up |");
        output.WriteLine("| --- | ---: | --- | ---: | ---: | ---: |");
        foreach (var (name, config, dtype) in new[] { ("tiny", GptConfig.Tiny, ScalarType.Float32), ("GPT-2 small", GptConfig.Gpt2Small, ScalarType.Float32), ("GPT-2 small", GptConfig.Gpt2Small, ScalarType.BFloat16) })
        {
            using var model = new GptModel(config, seed: 1, dtype: dtype);
            var generator = new GptGenerator(model, tokenizer);
            const int newTokens = 200;
            var options = new GenerationOptions { Greedy = true, MaxNewTokens = newTokens, StopAtEndOfText = false };
            generator.GenerateIds(Prompt, options with { MaxNewTokens = 8 }); // warm-up
            double withCache = TokensPerSecond(() => generator.GenerateIds(Prompt, options), newTokens);
            double withoutCache = TokensPerSecond(() => generator.GenerateIds(Prompt, options with { UseKvCache = false }), newTokens);
            output.WriteLine($"| {name} | {newTokens} | {Dtype(dtype)} | {withoutCache:F1} | {withCache:F1} | {withCache / withoutCache:F1}× |");
        }
        output.WriteLine();

        output.WriteLine("| training step (AdamW) | batch × tokens | s/step | tokens/s | 6·N·tokens/s (GFLOP/s) | MFU vs measured fp32 matmul |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, config, batch, time) in new[] { ("tiny", GptConfig.Tiny, 8, 64), ("GPT-2 small", GptConfig.Gpt2Small, 2, 128) })
        {
            double seconds = TrainingStepSeconds(config, batch, time, out long parameters);
            double tokensPerSecond = batch * time / seconds;
            double achieved = 6.0 * parameters * tokensPerSecond;
            output.WriteLine($"| {name} ({parameters:N0} parameters) | {batch} × {time} | {seconds:F3} | {tokensPerSecond:F0} | {achieved / 1e9:F1} | {achieved / matmulFlops:P0} |");
        }
    }

    private static void Forward(GptModel model, Tensor ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.forward(ids);
    }

    private static double TrainingStepSeconds(GptConfig config, int batch, int time, out long parameters)
    {
        using var model = new GptModel(config, seed: 1);
        parameters = model.ParameterCount;
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        using var data = randint(0, config.VocabularySize, [batch, time + 1], generator: new Generator(2));
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var logits = model.forward(data[.., ..^1]);                                        // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.view(-1, config.VocabularySize), data[.., 1..].reshape(-1));
            loss.backward();
            optimizer.step();
        }
        return Milliseconds(Step, repeats: config == GptConfig.Tiny ? 20 : 3) / 1000;
    }

    private static double MatmulFlopsPerSecond(int n)
    {
        using var a = randn(n, n);
        using var b = randn(n, n);
        double ms = Milliseconds(() => { using var c = a.matmul(b); }, repeats: 20);
        return 2.0 * n * n * n / (ms / 1000);
    }

    private static double TokensPerSecond(Action generate, int tokens) => tokens / (Milliseconds(generate, repeats: 3) / 1000);

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

    private static string Dtype(ScalarType dtype) => dtype == ScalarType.BFloat16 ? "bfloat16" : "float32";
}
