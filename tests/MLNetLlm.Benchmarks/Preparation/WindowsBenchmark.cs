using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Preparation;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Benchmarks.Preparation;

/// <summary>
/// Rows per second of next-token windows (GPT-2 tokens, context 256, stride 128) over a real corpus, beside ML.NET's
/// own <c>ShuffleRows</c> on the same windows in the same run. Each figure is the median of several full passes that
/// read both columns of every row. The ratio column compares with <c>ShuffleRows</c> over the same (unshuffled) windows,
/// the like-for-like reference: the same pool algorithm. Over an ML.NET cache, <c>ShuffleRows</c> by default also reads
/// the cache in random order (<c>shuffleSource</c>), a full shuffle that needs the whole corpus in memory.
/// </summary>
public static class WindowsBenchmark
{
    private const int ContextLength = 256;
    private const int Stride = 128;
    private const int PoolRows = 1000;
    private const int Passes = 7;

    private sealed class Document
    {
        public string Text { get; set; } = "";
    }

    private sealed class TokenDocument
    {
        [VectorType]
        public long[] Tokens { get; set; } = [];
    }

    /// <summary>Runs the benchmark over plain texts, one document each.</summary>
    public static void Run(TextWriter output, IEnumerable<string> documents)
    {
        var ml = new MLContext(seed: 1);
        Run(output, ml.Data.LoadFromEnumerable(documents.Select(text => new Document { Text = text }).ToList()), "Text");
    }

    /// <summary>
    /// Runs the benchmark over the text column <paramref name="textColumnName"/> of <paramref name="corpus"/>, such as the
    /// Brown corpus of <c>mlContext.Data.Llm.LoadBrownCorpus()</c>, and writes a markdown table.
    /// </summary>
    public static void Run(TextWriter output, IDataView corpus, string textColumnName = "Text")
    {
        var ml = new MLContext(seed: 1);
        var gpt2 = LlmTokenizers.Gpt2();
        var texts = corpus.GetColumn<string>(textColumnName).ToList();
        var tokenized = texts.Select(text => new TokenDocument { Tokens = [.. gpt2.EncodeToIds(text).Select(id => (long)id)] }).ToList();
        var tokens = ml.Data.LoadFromEnumerable(tokenized);
        long tokenCount = tokenized.Sum(d => d.Tokens.Length);

        NextTokenWindowOptions Options(bool shuffle = false) =>
            new() { ContextLength = ContextLength, Stride = Stride, SeparatorId = gpt2.EndOfTextId, Shuffle = shuffle, ShufflePoolSize = PoolRows, Seed = 1 };

        var windows = ml.Data.Llm.CreateNextTokenWindows(tokens, "Tokens", Options());
        var cached = ml.Data.Cache(windows);
        var cases = new (string Name, IDataView View)[]
        {
            ("MLNetLlm windows, text column (GPT-2 tokenization in the pass)", ml.Data.Llm.CreateNextTokenWindows(corpus, textColumnName, gpt2, Options())),
            ("MLNetLlm windows, token column, stream order", windows),
            ($"MLNetLlm windows, token column, shuffle pool {PoolRows}", ml.Data.Llm.CreateNextTokenWindows(tokens, "Tokens", Options(shuffle: true))),
            ($"ML.NET ShuffleRows(pool {PoolRows}) over the same windows (reference)", ml.Data.ShuffleRows(windows, seed: 1, shufflePoolSize: PoolRows)),
            ("ML.NET Cache of the windows, stream order", cached),
            ($"ML.NET ShuffleRows(pool {PoolRows}, shuffleSource: false) over the cache", ml.Data.ShuffleRows(cached, seed: 1, shufflePoolSize: PoolRows, shuffleSource: false)),
            ($"ML.NET ShuffleRows(pool {PoolRows}) over the cache (random-access source)", ml.Data.ShuffleRows(cached, seed: 1, shufflePoolSize: PoolRows)),
        };
        long warmRows = ReadAll(cached);

        var rates = Measure([.. cases.Select(c => c.View)], warmRows);
        var results = cases.Select((c, i) => (c.Name, rates[i])).ToList();
        double reference = results[3].Item2;

        output.WriteLine($"Next-token windows: {texts.Count:N0} documents, {tokenCount:N0} GPT-2 tokens, context {ContextLength}, " +
            $"stride {Stride}: {warmRows:N0} rows a pass; median of {Passes} passes, {Environment.ProcessorCount} cores.");
        output.WriteLine();
        output.WriteLine("| operation | rows/s | vs ShuffleRows over the same windows |");
        output.WriteLine("| --- | ---: | ---: |");
        foreach (var (name, rowsPerSecond) in results)
            output.WriteLine($"| {name} | {rowsPerSecond:N0} | {rowsPerSecond / reference:0.00}x |");
    }

    /// <summary>
    /// The median rows per second of each view over <see cref="Passes"/> full passes, after a warm-up pass. The passes
    /// take the views in turn, so a busy machine slows every view alike and the ratios stay meaningful.
    /// </summary>
    private static double[] Measure(IReadOnlyList<IDataView> views, long expectedRows)
    {
        var rates = views.Select(_ => new List<double>()).ToList();
        foreach (var view in views)
            ReadAll(view);
        for (int pass = 0; pass < Passes; pass++)
        {
            for (int v = 0; v < views.Count; v++)
            {
                var watch = Stopwatch.StartNew();
                long rows = ReadAll(views[v]);
                watch.Stop();
                if (rows != expectedRows)
                    throw new InvalidOperationException($"A pass read {rows} rows, not {expectedRows}.");
                rates[v].Add(rows / watch.Elapsed.TotalSeconds);
            }
        }
        return [.. rates.Select(r => r.Order().ElementAt(r.Count / 2))];
    }

    /// <summary>Reads both columns of every row, as a trainer would.</summary>
    private static long ReadAll(IDataView view)
    {
        var inputColumn = view.Schema["InputIds"];
        var targetColumn = view.Schema["TargetIds"];
        using var cursor = view.GetRowCursor([inputColumn, targetColumn]);
        var inputs = cursor.GetGetter<VBuffer<long>>(inputColumn);
        var targets = cursor.GetGetter<VBuffer<long>>(targetColumn);
        VBuffer<long> input = default, target = default;
        long rows = 0;
        while (cursor.MoveNext())
        {
            inputs(ref input);
            targets(ref target);
            rows++;
        }
        return rows;
    }
}
