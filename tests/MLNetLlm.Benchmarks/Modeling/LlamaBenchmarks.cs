using System.Diagnostics;
using System.Globalization;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Modeling;

/// <summary>
/// The Llama-family decoder (issue 17) on the SmolLM2-135M shape, random weights, beside GPT-2 small in the same run:
/// forward and training tokens/s (fp32, and bf16 training through <c>MixedPrecision</c> for issue 21's ratio), greedy
/// generation with and without the KV cache at 200 new tokens, ONNX Runtime (our export with past key/values) against
/// TorchSharp for generation; and (<c>llama-loading</c>) load time and memory of generated 135M and Llama-3.2-1B-shaped
/// checkpoints against the size of their weights. Figures are medians.
/// </summary>
public static class LlamaBenchmarks
{
    private static readonly int[] Prompt = [464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13, 383, 3290, 373, 407, 6568, 13];

    private static readonly GptConfig Gpt2 = GptConfig.Gpt2Small with { Dropout = 0.0 };

    /// <summary>Llama 3.2 1B's shape: 16 layers, width 2048, 32 heads over 8 key/value heads, vocabulary 128,256, tied head.</summary>
    private static readonly LlamaConfig Llama32_1B = new()
    {
        VocabularySize = 128256, HiddenSize = 2048, IntermediateSize = 8192, Layers = 16, Heads = 32, KeyValueHeads = 8,
        HeadDimension = 64, ContextLength = 131072, RmsNormEpsilon = 1e-5, RopeTheta = 500000, TiedOutputHead = true,
        RopeScaling = new LlamaRopeScaling { Factor = 32, LowFrequencyFactor = 1, HighFrequencyFactor = 4, OriginalContextLength = 8192 },
    };

    /// <summary>Speed (<c>llama</c>): forward, training, generation with and without the cache, ONNX Runtime.</summary>
    public static void Run(TextWriter output)
    {
        Header(output);
        SpeedRows(output);
        GenerationRows(output);
        output.WriteLine(Invariant($"Load average {LoadAverage()} at the end."));
    }

    /// <summary>The generation rows alone (<c>llama-generation</c>): KV cache and ONNX Runtime.</summary>
    public static void RunGeneration(TextWriter output)
    {
        Header(output);
        GenerationRows(output);
        output.WriteLine(Invariant($"Load average {LoadAverage()} at the end."));
    }

    /// <summary>Loading (<c>llama-loading</c>): time and memory of generated checkpoints against their weights' size.</summary>
    public static void RunLoading(TextWriter output)
    {
        Header(output);
        LoadingRows(output, null);
        output.WriteLine(Invariant($"Load average {LoadAverage()} at the end."));
    }

    /// <summary>The 1B-shaped checkpoint's loading row alone (<c>llama-loading-1b</c>), for when memory is short.</summary>
    public static void RunLoading1B(TextWriter output)
    {
        Header(output);
        LoadingRows(output, [("Llama-3.2-1B shape", Llama32_1B)]);
        output.WriteLine(Invariant($"Load average {LoadAverage()} at the end."));
    }

    private static void Header(TextWriter output)
    {
        output.WriteLine(Invariant($"{Environment.ProcessorCount} cores, {get_num_threads()} torch threads, load average {LoadAverage()} at start."));
        output.WriteLine();
    }

    private static void SpeedRows(TextWriter output)
    {
        output.WriteLine("| model | parameters | forward 1 × 256 ms | forward tokens/s | training step 2 × 256 fp32, tokens/s | bf16 (mixed), tokens/s | bf16 / fp32 |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, make) in new (string, Func<ICausalLanguageModel>)[]
                 {
                     ("GPT-2 small", () => new GptModel(Gpt2, seed: 1)),
                     ("SmolLM2-135M shape", () => new LlamaModel(LlamaConfig.SmolLm2_135M, seed: 1)),
                 })
        {
            var model = make();
            try
            {
                long parameters = model.Module.parameters().Sum(p => p.numel());
                model.Module.eval();
                double forwardMs = ForwardMilliseconds(model, 256);
                model.Module.train();
                var fp32 = new List<double>();
                var bf16 = new List<double>();
                using var optimizer = optim.AdamW(model.Module.parameters(), lr: 1e-5);
                TrainingStepSeconds(model, optimizer, Precision.Fp32); // warm-up of both paths
                TrainingStepSeconds(model, optimizer, Precision.Bf16);
                for (int round = 0; round < 3; round++)
                {
                    fp32.Add(TrainingStepSeconds(model, optimizer, Precision.Fp32));
                    bf16.Add(TrainingStepSeconds(model, optimizer, Precision.Bf16));
                }
                double a = 512 / Median(fp32), b = 512 / Median(bf16);
                output.WriteLine(Invariant($"| {name} | {parameters:N0} | {forwardMs:F0} | {256 / (forwardMs / 1000):F0} | {a:F1} | {b:F1} | {b / a:F2}× |"));
                output.Flush();
            }
            finally
            {
                model.Module.Dispose();
            }
        }
        output.WriteLine();
    }

    private static void GenerationRows(TextWriter output)
    {
        var tokenizer = FullVocabularyTokenizer(LlamaConfig.SmolLm2_135M.VocabularySize);
        using var model = new LlamaModel(LlamaConfig.SmolLm2_135M, seed: 1);
        model.eval();
        var generator = new LlamaGenerator(model, tokenizer, window: 512);
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 200, StopAtEndOfText = false };
        generator.GenerateIds(Prompt, options with { MaxNewTokens = 8 }); // warm-up
        double withCache = 200 / Median([.. Enumerable.Range(0, 3).Select(_ => Time(() => generator.GenerateIds(Prompt, options)))]);
        double withoutCache = 200 / Time(() => generator.GenerateIds(Prompt, options with { UseKvCache = false })); // one run: minutes under load
        output.WriteLine("| SmolLM2-135M shape, greedy generation (prompt 16 tokens) | new tokens | tokens/s without cache | tokens/s with KV cache | speed-up |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: |");
        output.WriteLine(Invariant($"| fp32 | 200 | {withoutCache:F1} | {withCache:F1} | {withCache / withoutCache:F1}× |"));
        output.WriteLine();
        output.Flush();

        var folder = Directory.CreateTempSubdirectory("mlnetllm-llama-bench-");
        try
        {
            var path = Path.Combine(folder.FullName, "smollm-with-past.onnx");
            OnnxExporter.Export(model, tokenizer, path, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
            using var onnx = new OnnxGptGenerator(path, tokenizer);
            var shortOptions = options with { MaxNewTokens = 50 };
            onnx.GenerateIds(Prompt, shortOptions with { MaxNewTokens = 8 }); // warm-up
            int[] torchIds = [], onnxIds = [];
            var torchRates = new List<double>();
            var onnxRates = new List<double>();
            for (int round = 0; round < 3; round++)
            {
                torchRates.Add(50 / Time(() => torchIds = generator.GenerateIds(Prompt, shortOptions)));
                onnxRates.Add(50 / Time(() => onnxIds = onnx.GenerateIds(Prompt, shortOptions)));
            }
            double t = Median(torchRates), o = Median(onnxRates);
            output.WriteLine("| SmolLM2-135M shape, greedy generation (prompt 16, KV cache / past key-values) | new tokens | TorchSharp tokens/s | ONNX Runtime tokens/s | ONNX Runtime speed-up | same tokens |");
            output.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
            output.WriteLine(Invariant($"| fp32 | 50 | {t:F1} | {o:F1} | {o / t:F2}× | {(torchIds.SequenceEqual(onnxIds) ? "yes" : "no")} |"));
            output.WriteLine();
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void LoadingRows(TextWriter output, (string Name, LlamaConfig Config)[]? only)
    {
        output.WriteLine("| checkpoint (random weights, stored BF16 as published) | parameters | file MB | loaded as | load s | resident after − before, MB | peak during − before, MB | resident / parameters' bytes in that type |");
        output.WriteLine("| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |");
        foreach (var (name, config) in only ?? [("SmolLM2-135M shape", LlamaConfig.SmolLm2_135M), ("Llama-3.2-1B shape", Llama32_1B)])
        {
            var folder = Directory.CreateTempSubdirectory("mlnetllm-llama-load-");
            try
            {
                long parameters;
                using (var written = new LlamaModel(config, dtype: ScalarType.BFloat16, seed: 1))
                {
                    parameters = written.ParameterCount;
                    HuggingFaceLlama.Save(written, folder.FullName, SafetensorsDType.BF16);
                }
                double fileMb = new DirectoryInfo(folder.FullName).GetFiles("*.safetensors").Sum(f => f.Length) / 1048576.0;
                // The 1B checkpoint loads in float32 only (the loader's default): its bf16 load takes tens of minutes under load.
                foreach (var dtype in config == Llama32_1B ? [ScalarType.Float32] : new[] { ScalarType.Float32, ScalarType.BFloat16 })
                {
                    ResetPeakResident();
                    long before = ResidentMegabytes() ?? 0;
                    LlamaModel? loaded = null;
                    double seconds = Time(() => loaded = HuggingFaceLlama.Load(folder.FullName, dtype: dtype));
                    long after = ResidentMegabytes() ?? 0, peak = PeakResidentMegabytes() ?? 0;
                    double typeMb = parameters * (dtype == ScalarType.Float32 ? 4.0 : 2.0) / 1048576.0;
                    output.WriteLine(Invariant($"| {name} | {parameters:N0} | {fileMb:F0} | {(dtype == ScalarType.Float32 ? "float32" : "bfloat16")} | {seconds:F1} | {after - before} | {peak - before} | {(after - before) / typeMb:F2} |"));
                    output.Flush();
                    loaded!.Dispose();
                }
            }
            finally
            {
                folder.Delete(recursive: true);
            }
        }
        output.WriteLine();
    }

    // A word-level tokenizer with exactly the model's vocabulary, so TorchSharp and ONNX Runtime choose among the same ids.
    private static LlmTokenizer FullVocabularyTokenizer(int size)
    {
        var text = string.Join(' ', Enumerable.Range(0, size).Select(i => "w" + i.ToString(CultureInfo.InvariantCulture)));
        var tokenizer = LlmTokenizers.Whitespace(new VocabularyBuilderOptions { MaxVocabularySize = size }).Build([text]);
        if (tokenizer.VocabularySize != size) throw new InvalidOperationException($"The benchmark's tokenizer has {tokenizer.VocabularySize} ids, not {size}.");
        return tokenizer;
    }

    private static double ForwardMilliseconds(ICausalLanguageModel model, int length)
    {
        using var ids = randint(0, 1000, [1, length], generator: new Generator(1));
        void Forward()
        {
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            model.Head(model.ForwardHiddenCore(ids, null, null));
        }
        Forward(); // warm-up
        return Median([.. Enumerable.Range(0, 3).Select(_ => Time(Forward) * 1000)]);
    }

    // One bare step (forward, cross-entropy, backward, AdamW) at 2 × 256, under the trainer's cast point.
    private static double TrainingStepSeconds(ICausalLanguageModel model, optim.Optimizer optimizer, Precision precision)
    {
        using var data = randint(0, 1000, [2, 257], generator: new Generator(2));
        return Time(() =>
        {
            using var scope = NewDisposeScope();
            using var cast = MixedPrecision.Use(precision);
            optimizer.zero_grad();
            var logits = model.Head(model.ForwardHiddenCore(data[.., ..^1], null, null)).to(ScalarType.Float32); // (B, T, V)
            var loss = nn.functional.cross_entropy(logits.flatten(0, 1), data[.., 1..].reshape(-1));
            loss.backward();
            optimizer.step();
        });
    }

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
