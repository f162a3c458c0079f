using System.Diagnostics;
using System.Globalization;
using MLNetLlm.TorchSharp.Modeling;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Modeling;

/// <summary>
/// The two kinds of decoder step a served model runs, each in fp32 and in bf16 (weights converted once), for the
/// evidence behind <c>InferencePrecision</c>'s rule (issue 21): a <b>prefill</b> (many tokens in one pass: the prompt,
/// or a batch scored for perplexity) and a <b>one-token cached step</b> (generation after the prompt, with 128 tokens
/// in the cache). GPT-2 small and the SmolLM2-135M shape (the tiny GPT's 64-token context cannot take these
/// prefills); random weights. fp32 and bf16 alternate in rounds; figures are medians.
/// </summary>
public static class DecoderStepBenchmarks
{
    private const int Cached = 128;
    private const int Steps = 16;

    /// <summary>Runs the comparison and writes a markdown table to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        output.WriteLine(Invariant($"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads, load average {LoadAverage()} at start."));
        output.WriteLine();
        output.WriteLine("| model | step | fp32 ms | bf16 ms | bf16 / fp32 speed |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: |");
        foreach (var (name, make) in Models())
        {
            var fp32 = make(ScalarType.Float32);
            var bf16 = make(ScalarType.BFloat16);
            try
            {
                fp32.Module.eval();
                bf16.Module.eval();
                Pair(output, name, "prefill 1 × 256", fp32, bf16, m => Prefill(m, 1, 256));
                Pair(output, name, "prefill 4 × 64", fp32, bf16, m => Prefill(m, 4, 64));
                Pair(output, name, "prefill 1 × 16", fp32, bf16, m => Prefill(m, 1, 16));
                Pair(output, name, $"one-token step, batch 1, {Cached} cached", fp32, bf16, m => OneTokenStep(m, 1));
                Pair(output, name, $"one-token step, batch 4, {Cached} cached", fp32, bf16, m => OneTokenStep(m, 4));
            }
            finally
            {
                fp32.Module.Dispose();
                bf16.Module.Dispose();
            }
        }
        output.WriteLine();
        output.WriteLine(Invariant($"Load average {LoadAverage()} at the end."));
    }

    internal static IEnumerable<(string Name, Func<ScalarType, ICausalLanguageModel> Make)> Models() =>
    [
        ("GPT-2 small", dtype => new GptModel(GptConfig.Gpt2Small with { Dropout = 0 }, seed: 1, dtype: dtype)),
        ("SmolLM2-135M shape", dtype => new LlamaModel(LlamaConfig.SmolLm2_135M, dtype: dtype, seed: 1)),
    ];

    // Rounds alternate fp32 and bf16, so a change of load touches both; medians of the rounds.
    private static void Pair(TextWriter output, string model, string step, ICausalLanguageModel fp32, ICausalLanguageModel bf16, Func<ICausalLanguageModel, double> measure)
    {
        var a = new List<double>();
        var b = new List<double>();
        for (int round = 0; round < 3; round++)
        {
            a.Add(measure(fp32));
            b.Add(measure(bf16));
        }
        double x = Median(a), y = Median(b);
        output.WriteLine(Invariant($"| {model} | {step} | {x:F1} | {y:F1} | {x / y:F2}× |"));
        output.Flush();
    }

    // One pass over batch × time new tokens into an empty cache, and the logits of the last position, as generation's first step.
    private static double Prefill(ICausalLanguageModel model, int batch, int time)
    {
        using var ids = randint(0, 1000, [batch, time], generator: new Generator(1));
        using var cache = model.CreateCache(batch, Cached + 256 + Steps);
        double Once()
        {
            cache.Reset();
            return Milliseconds(() =>
            {
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                model.Head(model.ForwardHiddenCore(ids, null, cache).select(1, -1));
            });
        }
        Once(); // warm-up
        return Once();
    }

    // Mean time of one new token per row with Cached tokens in the cache, as every generation step after the prompt.
    private static double OneTokenStep(ICausalLanguageModel model, int batch)
    {
        using var prompt = randint(0, 1000, [batch, Cached], generator: new Generator(1));
        using var next = randint(0, 1000, [batch, 1], generator: new Generator(2));
        using var cache = model.CreateCache(batch, Cached + 2 * Steps);
        double Round()
        {
            cache.Reset();
            using (var scope = NewDisposeScope())
            using (var noGrad = no_grad())
                model.ForwardHiddenCore(prompt, null, cache);
            return Milliseconds(() =>
            {
                for (int i = 0; i < Steps; i++)
                {
                    using var scope = NewDisposeScope();
                    using var noGrad = no_grad();
                    model.Head(model.ForwardHiddenCore(next, null, cache).select(1, -1));
                }
            }) / Steps;
        }
        Round(); // warm-up
        return Round();
    }

    private static double Milliseconds(Action action)
    {
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
