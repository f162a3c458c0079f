using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Tokenizers;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Benchmarks.Tokenization;

/// <summary>
/// GPT-2 tokens per second of the Tokenize transform read through an <see cref="IDataView"/> cursor, beside
/// Microsoft.ML.Tokenizers' <see cref="TiktokenTokenizer.EncodeToIds(string, bool, bool)"/> called directly on the same
/// texts in the same run (the reference), and <see cref="LlmTokenizer.EncodeToIds(string)"/> (our wrapper, no ML.NET).
/// Each figure is the fastest of several full passes after a warm-up pass (the one least disturbed by other processes on
/// a shared machine), the paths timed in turns; the texts are in memory, so the passes
/// measure tokenization and the data-view plumbing, not I/O. Two granularities: whole documents, and one row per line.
/// </summary>
public static class TokenizeBenchmark
{
    private const int Passes = 9;

    private sealed class Document
    {
        public string Text { get; set; } = "";
    }

    /// <summary>
    /// Runs the benchmark over the text column <paramref name="textColumnName"/> of <paramref name="corpus"/>, such as the
    /// Brown corpus of <c>mlContext.Data.Llm.LoadBrownCorpus()</c>, and writes a markdown table.
    /// </summary>
    public static void Run(TextWriter output, IDataView corpus, string textColumnName = "Text") =>
        Run(output, corpus.GetColumn<string>(textColumnName).ToList());

    /// <summary>Runs the benchmark over plain texts, one document each, and writes a markdown table.</summary>
    public static void Run(TextWriter output, IEnumerable<string> documents)
    {
        var texts = documents.Where(t => !string.IsNullOrEmpty(t)).ToList();
        var lines = texts.SelectMany(t => t.Split('\n')).Where(l => l.Length > 0).ToList();
        var reference = TiktokenTokenizer.CreateForModel("gpt2");
        var ours = LlmTokenizers.Gpt2();

        output.WriteLine($"{texts.Count:N0} documents, {lines.Count:N0} lines, {texts.Sum(t => (long)t.Length):N0} characters; " +
            $"fastest of {Passes} passes, paths timed in turns; {Environment.ProcessorCount} cores, .NET {Environment.Version}.");
        output.WriteLine();
        output.WriteLine("| rows | path | tokens | tokens/s (wall) | vs direct | tokens per CPU-second | vs direct |");
        output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var (granularity, rows) in new[] { ("documents", texts), ("lines", lines) })
        {
            var results = Measure(
                () => rows.Sum(t => (long)reference.EncodeToIds(t).Count),
                () => rows.Sum(t => (long)ours.EncodeToIds(t).Count),
                TransformPass(rows, ours));
            Row(output, granularity, "Microsoft.ML.Tokenizers `TiktokenTokenizer.EncodeToIds` (direct)", results[0], results[0]);
            Row(output, granularity, "`LlmTokenizer.EncodeToIds` (our wrapper)", results[1], results[0]);
            Row(output, granularity, "`Transforms.Llm.Tokenize` through an IDataView cursor", results[2], results[0]);
        }
    }

    /// <summary>A pass that reads every row's ids from the Tokenize transform over in-memory rows.</summary>
    private static Func<long> TransformPass(List<string> rows, LlmTokenizer tokenizer)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(rows.Select(t => new Document { Text = t }).ToList());
        var tokenized = ml.Transforms.Llm.Tokenize("Tokens", "Text", tokenizer).Fit(data).Transform(data);
        var column = tokenized.Schema["Tokens"];
        return () =>
        {
            long count = 0;
            using var cursor = tokenized.GetRowCursor([column]);
            var getter = cursor.GetGetter<VBuffer<long>>(column);
            VBuffer<long> ids = default;
            while (cursor.MoveNext())
            {
                getter(ref ids);
                count += ids.Length;
            }
            return count;
        };
    }

    /// <summary>
    /// Times the paths in turns (path 1, 2, 3, then again), so that a change in the machine's load during the run
    /// falls on all of them alike; returns each path's token count and best rates, by the wall clock and by the
    /// calling thread's CPU time (every path runs on the calling thread; CPU time leaves out the time other processes
    /// hold the cores, so it stays comparable on a loaded machine).
    /// </summary>
    private static Result[] Measure(params Func<long>[] paths)
    {
        var tokens = paths.Select(pass => pass()).ToArray(); // warm-up: JIT, vocabulary tables, the tokenizer's word cache
        var wall = paths.Select(_ => 0.0).ToArray();
        var cpu = paths.Select(_ => 0.0).ToArray();
        for (int i = 0; i < Passes; i++)
        {
            for (int p = 0; p < paths.Length; p++)
            {
                var cpuStart = ThreadCpuTime.Now();
                var watch = Stopwatch.StartNew();
                long counted = paths[p]();
                watch.Stop();
                var cpuTime = ThreadCpuTime.Now() - cpuStart;
                if (counted != tokens[p])
                    throw new InvalidOperationException($"A pass counted {counted} tokens, the warm-up {tokens[p]}.");
                wall[p] = Math.Max(wall[p], tokens[p] / watch.Elapsed.TotalSeconds);
                if (cpuTime > TimeSpan.Zero)
                    cpu[p] = Math.Max(cpu[p], tokens[p] / cpuTime.TotalSeconds);
            }
        }
        return paths.Select((_, p) => new Result(tokens[p], wall[p], cpu[p])).ToArray();
    }

    private readonly record struct Result(long Tokens, double WallPerSecond, double CpuPerSecond);

    private static void Row(TextWriter output, string rows, string path, Result result, Result direct)
    {
        if (result.Tokens != direct.Tokens)
            throw new InvalidOperationException($"{path} made {result.Tokens} tokens, the direct call {direct.Tokens}.");
        string cpu = result.CpuPerSecond > 0 ? $"{result.CpuPerSecond / 1e6:F2} M | {result.CpuPerSecond / direct.CpuPerSecond:P0}" : "n/a | n/a";
        output.WriteLine($"| {rows} | {path} | {result.Tokens:N0} | {result.WallPerSecond / 1e6:F2} M | {result.WallPerSecond / direct.WallPerSecond:P0} | {cpu} |");
    }
}

/// <summary>The calling thread's CPU time (user + system) on Linux, from <c>/proc/thread-self/stat</c>; zero elsewhere.</summary>
internal static class ThreadCpuTime
{
    private const double TicksPerSecond = 100; // USER_HZ, 100 on Linux

    public static TimeSpan Now()
    {
        const string path = "/proc/thread-self/stat";
        if (!File.Exists(path))
            return TimeSpan.Zero;
        var stat = File.ReadAllText(path);
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' '); // after "pid (comm) ": field 3 is fields[0]
        long ticks = long.Parse(fields[11]) + long.Parse(fields[12]); // utime (14) + stime (15)
        return TimeSpan.FromSeconds(ticks / TicksPerSecond);
    }
}
