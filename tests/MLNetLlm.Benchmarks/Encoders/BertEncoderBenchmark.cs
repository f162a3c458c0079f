using System.Diagnostics;
using Microsoft.ML.OnnxRuntime;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static MLNetLlm.Benchmarks.Measure;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Encoders;

/// <summary>
/// TorchSharp against ONNX Runtime on the same all-MiniLM-L6-v2 (issue 13): the encoder forward pass to the last hidden
/// states at batch 32 × 128 tokens, the TorchSharp model built from the weights of the very ONNX file ONNX Runtime runs.
/// Both use every core (torch's threads as the model sets them, ONNX Runtime's intra-op threads one per core, all graph
/// optimisations, as <c>OnnxSentenceEmbedder</c> opens it). Inputs: random ids, the second half of the rows padded to
/// 64 tokens, so the mask is exercised. Times are medians of repeated runs after a warm-up; the ratio is TorchSharp / ONNX Runtime.
/// </summary>
public static class BertEncoderBenchmark
{
    private const int Batch = 32, Time = 128, Repeats = 15;

    /// <summary>Runs the comparison and writes a markdown table to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        var onnxModel = MLNetLlm.Models.BundledModels.MiniLmL6V2.ReadOnnx();
        using var model = BertOnnxWeights.Load(onnxModel);
        var (ids, mask) = Inputs(model.Config.VocabularySize);
        output.WriteLine($"Machine: {Cpu()}, {Environment.ProcessorCount} cores, torch threads {get_num_threads()} (inter-op {get_num_interop_threads()}), " +
                         $"ONNX Runtime intra-op threads {Environment.ProcessorCount}, load average {LoadAverage()} at start.");
        output.WriteLine();

        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = Environment.ProcessorCount };
        using var session = new InferenceSession(onnxModel, options);
        using var basicOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL, IntraOpNumThreads = Environment.ProcessorCount };
        using var unoptimised = new InferenceSession(onnxModel, basicOptions);

        // Every variant runs once per round, in turn, so a burst of load from elsewhere hits all of them alike.
        var variants = new (string Name, Action Run)[]
        {
            ("ONNX Runtime, all graph optimisations (reference)", () => OnnxForward(session, ids, mask)),
            ("TorchSharp BertModel, no_grad", () => TorchForward(model, ids, mask, inference: false)),
            ("TorchSharp BertModel, inference_mode", () => TorchForward(model, ids, mask, inference: true)),
            ("TorchSharp BertModel, no padding mask (SDPA without attn_mask)", () => TorchForward(model, ids, null, inference: false)),
            ("ONNX Runtime, graph optimisations off", () => OnnxForward(unoptimised, ids, mask)),
        };
        var times = Rounds(variants.Select(v => v.Run).ToArray());

        int torchThreads = get_num_threads();
        using var oneThreadOptions = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var oneThread = new InferenceSession(onnxModel, oneThreadOptions);
        var single = Rounds(
        [
            () => OnnxForward(oneThread, ids, mask),
            () => { set_num_threads(1); try { TorchForward(model, ids, mask, inference: false); } finally { set_num_threads(torchThreads); } },
        ]);

        // The matrix products are most of the work: the intermediate projection's alone, (B·T, C) × (C, 4C), through torch's
        // BLAS (MKL in the libtorch-cpu builds) and through ONNX Runtime's MLAS, one thread each.
        var gemm = Gemm(threads: 1);

        double reference = Median(times[0]);
        output.WriteLine($"| all-MiniLM-L6-v2 forward, batch {Batch} × {Time} tokens | median ms | vs ONNX Runtime ({Environment.ProcessorCount} threads) |");
        output.WriteLine("| --- | ---: | ---: |");
        for (int v = 0; v < variants.Length; v++)
            output.WriteLine($"| {variants[v].Name} | {Median(times[v]):F1} | {Median(times[v]) / reference:F2}× |");
        output.WriteLine($"| ONNX Runtime, 1 thread | {Median(single[0]):F1} | {Median(single[0]) / reference:F2}× |");
        output.WriteLine($"| TorchSharp BertModel, 1 thread | {Median(single[1]):F1} | {Median(single[1]) / reference:F2}× |");
        output.WriteLine($"| matrix product alone, ({Batch * Time}, 384) × (384, 1536), ONNX Runtime MatMul, 1 thread | {Median(gemm[0]):F1} | |");
        output.WriteLine($"| matrix product alone, same, torch linear (BLAS sgemm), 1 thread | {Median(gemm[1]):F1} | {MedianRatio(gemm[1], gemm[0]):F2}× of ONNX Runtime's |");
        output.WriteLine();
        output.WriteLine($"TorchSharp / ONNX Runtime (median of the per-round ratios), {Environment.ProcessorCount} threads each: {MedianRatio(times[1], times[0]):F2}× " +
                         $"(target ≤ 1.2×); one thread each: {MedianRatio(single[1], single[0]):F2}×. Load average {LoadAverage()} at the end.");
    }

    private static double[][] Gemm(int threads)
    {
        const int rows = Batch * Time, inputs = 384, outputs = 1536;
        var random = new Random(2);
        var x = Enumerable.Range(0, rows * inputs).Select(_ => (float)random.NextDouble() - 0.5f).ToArray();
        var w = Enumerable.Range(0, inputs * outputs).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(); // (in, out), as the ONNX file stores it
        var model = new global::Onnx.ModelProto { IrVersion = 8, OpsetImport = { new global::Onnx.OperatorSetIdProto { Version = 13 } }, Graph = new global::Onnx.GraphProto { Name = "gemm" } };
        model.Graph.Input.Add(new global::Onnx.ValueInfoProto { Name = "x", Type = new global::Onnx.TypeProto { TensorType = new global::Onnx.TypeProto.Types.Tensor { ElemType = 1 } } });
        model.Graph.Output.Add(new global::Onnx.ValueInfoProto { Name = "y", Type = new global::Onnx.TypeProto { TensorType = new global::Onnx.TypeProto.Types.Tensor { ElemType = 1 } } });
        var bytes = new byte[w.Length * 4];
        Buffer.BlockCopy(w, 0, bytes, 0, bytes.Length);
        model.Graph.Initializer.Add(new global::Onnx.TensorProto { Name = "w", DataType = 1, Dims = { inputs, outputs }, RawData = Google.Protobuf.ByteString.CopyFrom(bytes) });
        model.Graph.Node.Add(new global::Onnx.NodeProto { OpType = "MatMul", Input = { "x", "w" }, Output = { "y" } });
        using var options = new SessionOptions { IntraOpNumThreads = threads, LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR };
        using var session = new InferenceSession(Google.Protobuf.MessageExtensions.ToByteArray(model), options);
        using var input = tensor(x, [rows, inputs]);
        using var weight = tensor(w, [inputs, outputs]).t().contiguous(); // (out, in), as a Linear holds it
        int torchThreads = get_num_threads();
        return Rounds(
        [
            () =>
            {
                using var value = OrtValue.CreateTensorValueFromMemory(x, [rows, inputs]);
                using var runOptions = new RunOptions();
                using var result = session.Run(runOptions, ["x"], [value], ["y"]);
            },
            () =>
            {
                set_num_threads(threads);
                using var scope = NewDisposeScope();
                using var noGrad = no_grad();
                nn.functional.linear(input, weight);
                set_num_threads(torchThreads);
            },
        ]);
    }

    private static string Cpu()
    {
        if (!File.Exists("/proc/cpuinfo")) return "CPU n/a";
        var lines = File.ReadLines("/proc/cpuinfo").Take(40).ToList();
        string Field(string name) => lines.FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        return $"{Field("model name")} ({Field("vendor_id")})";
    }

    // Random ids with [CLS] first and [SEP] last; rows 16-31 padded after 64 tokens.
    private static (long[] Ids, long[] Mask) Inputs(int vocabulary)
    {
        var random = new Random(1);
        var ids = new long[Batch * Time];
        var mask = new long[Batch * Time];
        for (int row = 0; row < Batch; row++)
        {
            int length = row < Batch / 2 ? Time : Time / 2;
            for (int t = 0; t < length; t++)
            {
                ids[row * Time + t] = t == 0 ? 101 : t == length - 1 ? 102 : random.Next(1000, vocabulary);
                mask[row * Time + t] = 1;
            }
        }
        return (ids, mask);
    }

    private static void TorchForward(BertModel model, long[] ids, long[]? mask, bool inference)
    {
        using var scope = NewDisposeScope();
        using var mode = inference ? inference_mode(true) : no_grad();
        var input = tensor(ids, [Batch, Time]);
        model.ForwardHidden(input, mask is null ? null : tensor(mask, [Batch, Time])).data<float>(); // (B, T, C), read like ONNX Runtime's output
    }

    private static void OnnxForward(InferenceSession session, long[] ids, long[] mask)
    {
        using var idsValue = OrtValue.CreateTensorValueFromMemory(ids, [Batch, Time]);
        using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, [Batch, Time]);
        using var typesValue = OrtValue.CreateTensorValueFromMemory(new long[ids.Length], [Batch, Time]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, ["input_ids", "attention_mask", "token_type_ids"], [idsValue, maskValue, typesValue], ["last_hidden_state"]);
    }

    // Two warm-up rounds, then Repeats rounds; in each round every action runs once, in turn. Milliseconds per action and round.
    private static double[][] Rounds(Action[] actions)
    {
        for (int warmUp = 0; warmUp < 2; warmUp++)
            foreach (var action in actions) action();
        var times = actions.Select(_ => new double[Repeats]).ToArray();
        for (int round = 0; round < Repeats; round++)
            for (int a = 0; a < actions.Length; a++)
            {
                var stopwatch = Stopwatch.StartNew();
                actions[a]();
                times[a][round] = stopwatch.Elapsed.TotalMilliseconds;
            }
        return times;
    }

    // The machine is shared: medians resist the outliers, and ratios within a round cancel slow phases.
    private static double Median(double[] values) => values.Order().ElementAt(values.Length / 2);

    private static double MedianRatio(double[] numerator, double[] denominator) => Median([.. numerator.Zip(denominator, (n, d) => n / d)]);
}
