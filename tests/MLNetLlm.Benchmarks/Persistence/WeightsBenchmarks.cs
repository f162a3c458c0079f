using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.Benchmarks.Persistence;

/// <summary>
/// Loading a GPT-2 small checkpoint in the Hugging Face layout (random weights, F32 and BF16) into an existing model:
/// <c>HuggingFaceGpt2.LoadWeights</c> (memory-mapped, copied chunk by chunk into the parameters) beside the usual
/// approach measured in the same run (read the whole file, decode each tensor to a float array, make a torch tensor of
/// it, copy it into the parameter). Reported: seconds (best of three) and the peak of anonymous memory above the loaded
/// model during the load, sampled every 2 ms from /proc/self/status (Linux only; blank elsewhere). Ours runs first, so
/// the reference's leftover managed heap cannot inflate our figure.
/// </summary>
public static class WeightsBenchmarks
{
    private const int Runs = 3;

    public static void Run(TextWriter output)
    {
        var folder = Path.Combine(Path.GetTempPath(), "mlnetllm-weights-benchmark-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var model = new GptModel(GptConfig.Gpt2Small, seed: 1);
            output.WriteLine("| file | method | seconds | peak extra memory (MB) |");
            output.WriteLine("| --- | --- | ---: | ---: |");
            foreach (var dtype in new[] { SafetensorsDType.F32, SafetensorsDType.BF16 })
            {
                var checkpoint = Path.Combine(folder, dtype.ToString());
                HuggingFaceGpt2.Save(model, checkpoint, dtype);
                long megabytes = new FileInfo(Path.Combine(checkpoint, SafetensorsFolder.SingleFileName)).Length >> 20;
                var label = $"{dtype}, {megabytes} MB";
                Report(output, label, "HuggingFaceGpt2.LoadWeights (mapped, chunked)", () => HuggingFaceGpt2.LoadWeights(model, checkpoint));
                Report(output, label, "read file, float[] per tensor, torch.tensor, copy_", () => LoadByReadingEverything(model, checkpoint));
            }
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static void Report(TextWriter output, string file, string method, Action load)
    {
        double best = double.MaxValue;
        long peak = 0;
        for (int run = 0; run < Runs; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            using var sampler = new AnonymousMemorySampler();
            var watch = Stopwatch.StartNew();
            load();
            best = Math.Min(best, watch.Elapsed.TotalSeconds);
            peak = Math.Max(peak, sampler.PeakAboveStart());
        }
        output.WriteLine($"| {file} | {method} | {best:F2} | {(peak < 0 ? "" : (peak >> 20).ToString())} |");
    }

    /// <summary>The reference: the whole file in a byte array, each tensor decoded to floats, then to torch, then copied.</summary>
    private static void LoadByReadingEverything(GptModel model, string folder)
    {
        var bytes = File.ReadAllBytes(Path.Combine(folder, SafetensorsFolder.SingleFileName));
        long headerLength = BitConverter.ToInt64(bytes, 0);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        using var noGrad = no_grad();
        foreach (var entry in header.RootElement.EnumerateObject().Where(e => e.Name != "__metadata__"))
        {
            var dtype = Enum.Parse<SafetensorsDType>(entry.Value.GetProperty("dtype").GetString()!);
            var shape = entry.Value.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
            var offsets = entry.Value.GetProperty("data_offsets").EnumerateArray().Select(o => o.GetInt64()).ToArray();
            var values = new float[shape.Aggregate(1L, (a, b) => a * b)];
            SafetensorsFloats.ToSingle(bytes.AsSpan((int)(8 + headerLength + offsets[0]), (int)(offsets[1] - offsets[0])), dtype, values);
            using var loaded = tensor(values, shape);
            var parameter = parameters[entry.Name];
            if (parameter.shape.SequenceEqual(shape)) parameter.copy_(loaded);
            else
            {
                using var transposed = loaded.t();
                parameter.copy_(transposed);
            }
        }
    }

    /// <summary>Samples RssAnon every 2 ms on a background thread until disposed.</summary>
    private sealed class AnonymousMemorySampler : IDisposable
    {
        private readonly long _start = Read();
        private readonly Thread _thread;
        private long _peak;
        private volatile bool _stop;

        public AnonymousMemorySampler()
        {
            _peak = _start;
            _thread = new Thread(() =>
            {
                while (!_stop)
                {
                    _peak = Math.Max(_peak, Read());
                    Thread.Sleep(2);
                }
            }) { IsBackground = true };
            _thread.Start();
        }

        /// <summary>Bytes above the level at creation, or -1 where RssAnon cannot be read.</summary>
        public long PeakAboveStart()
        {
            _stop = true;
            _thread.Join();
            _peak = Math.Max(_peak, Read());
            return _start < 0 ? -1 : _peak - _start;
        }

        public void Dispose()
        {
            _stop = true;
            _thread.Join();
        }

        private static long Read()
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux)) return -1;
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("RssAnon:"));
            return line is null ? -1 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        }
    }
}
