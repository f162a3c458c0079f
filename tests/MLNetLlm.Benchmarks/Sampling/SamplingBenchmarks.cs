using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Sampling;

namespace MLNetLlm.Benchmarks.Sampling;

/// <summary>
/// Rows per second of every MLNetLlm sampling method on one million in-memory rows, beside ML.NET's own
/// <c>ShuffleRows</c> and <c>BootstrapSample</c> measured in the same run. A method's time is the call (its
/// selection passes) plus one full cursor over its output reading the Id column; rows/s is input rows over that
/// time. Each method runs once to warm up, then the best of three runs counts.
/// </summary>
public static class SamplingBenchmarks
{
    private const int Rows = 1_000_000;
    private const int Runs = 3;

    public sealed class Row
    {
        public long Id { get; set; }

        /// <summary>"A" for 90% of rows, "B" for 9%, "C" for 1%.</summary>
        public string Label { get; set; } = "";

        /// <summary>"A" for 99% of rows, "B" for 1%: SMOTE's input (its neighbour search is quadratic in the minority).</summary>
        public string Rare { get; set; } = "";

        public float Weight { get; set; }

        /// <summary>Groups of 100 consecutive rows.</summary>
        public int Group { get; set; }

        [VectorType(4)]
        public float[] Features { get; set; } = [];
    }

    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var random = new Random(1);
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i => new Row
        {
            Id = i,
            Label = (i % 100) switch { < 90 => "A", < 99 => "B", _ => "C" },
            Rare = i % 100 == 0 ? "B" : "A",
            Weight = 1 + random.NextSingle() * 9,
            Group = i / 100,
            Features = [random.NextSingle(), random.NextSingle(), random.NextSingle(), random.NextSingle()],
        }).ToList());
        var llm = ml.Data.Llm;

        var methods = new (string Name, Func<IDataView> Sample)[]
        {
            ("ML.NET ShuffleRows", () => ml.Data.ShuffleRows(data, seed: 1)),
            ("ML.NET BootstrapSample", () => ml.Data.BootstrapSample(data, seed: 1)),
            ("SampleRandom (100,000)", () => llm.SampleRandom(data, 100_000, seed: 1)),
            ("SampleRandomFraction (0.1)", () => llm.SampleRandomFraction(data, 0.1, seed: 1)),
            ("SampleStratified (0.1)", () => llm.SampleStratified(data, "Label", 0.1, seed: 1)),
            ("SampleSystematic (interval 10)", () => llm.SampleSystematic(data, 10, seed: 1)),
            ("SampleClusters (0.1 of 10,000 groups)", () => llm.SampleClusters(data, "Group", 0.1, seed: 1)),
            ("SampleImportance (100,000)", () => llm.SampleImportance(data, "Weight", 100_000, seed: 1)),
            ("SampleImportance (100,000, replacement)", () => llm.SampleImportance(data, "Weight", 100_000, withReplacement: true, seed: 1)),
            ("SampleStratifiedImportance (0.1)", () => llm.SampleStratifiedImportance(data, new StratifiedImportanceSamplingOptions { Fraction = 0.1, Seed = 1 })),
            ("SampleBootstrap", () => llm.SampleBootstrap(data, seed: 1)),
            ("SampleBalanced (undersample)", () => llm.SampleBalanced(data, "Label", BalancingMode.Undersample, seed: 1)),
            ("SampleBalanced (oversample)", () => llm.SampleBalanced(data, "Label", BalancingMode.Oversample, seed: 1)),
            ("SampleSmote (k = 5, 1% minority)", () => llm.SampleSmote(data, "Rare", "Features", 5, seed: 1)),
        };

        var results = methods.Select(m => (m.Name, Measure(m.Sample))).ToArray();
        var shuffle = results[0].Item2.Seconds;
        var bootstrap = results[1].Item2.Seconds;
        output.WriteLine($"Sampling on {Rows:N0} in-memory rows (best of {Runs} after a warm-up; time = call + one cursor over the output)");
        output.WriteLine();
        output.WriteLine("| method | output rows | ms (call + cursor) | input rows/s | vs ShuffleRows | vs BootstrapSample |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (name, (outputRows, seconds, call)) in results)
        {
            output.WriteLine($"| {name} | {outputRows:N0} | {seconds * 1000:N0} ({call * 1000:N0} + {(seconds - call) * 1000:N0}) | " +
                $"{Rows / seconds:N0} | {shuffle / seconds:0.00}× | {bootstrap / seconds:0.00}× |");
        }
    }

    /// <summary>The best of <see cref="Runs"/> runs: output rows, total seconds, and the seconds spent in the call.</summary>
    private static (long OutputRows, double Seconds, double CallSeconds) Measure(Func<IDataView> sample)
    {
        Consume(sample());
        var best = (OutputRows: 0L, Seconds: double.MaxValue, CallSeconds: 0.0);
        for (var run = 0; run < Runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var view = sample();
            var call = watch.Elapsed.TotalSeconds;
            var rows = Consume(view);
            var total = watch.Elapsed.TotalSeconds;
            if (total < best.Seconds)
                best = (rows, total, call);
        }
        return best;
    }

    private static long Consume(IDataView view)
    {
        var id = view.Schema["Id"];
        using var cursor = view.GetRowCursor([id]);
        var getId = cursor.GetGetter<long>(id);
        long value = 0, rows = 0;
        while (cursor.MoveNext())
        {
            getId(ref value);
            rows++;
        }
        return rows;
    }
}
