using System.Diagnostics;
using System.Numerics.Tensors;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;

namespace MLNetLlm.Benchmarks.Embeddings;

/// <summary>
/// Whole Brown documents (about 2,000 words each) embedded by all-MiniLM-L6-v2 on ONNX Runtime: every window, pooled
/// by the length-weighted mean (the default), against the first 256 word pieces only. Both cases run in turn on each
/// pass, in batches of 32 documents as EmbedText sends them; each figure is the median of the passes, and the ratio
/// comes from the same run.
/// </summary>
public static class WholeDocumentBenchmark
{
    private const int Documents = 32;
    private const int BatchSize = 32;
    private const int Passes = 3;

    /// <summary>Runs on the first <see cref="Documents"/> Brown documents and writes a markdown table.</summary>
    public static void Run(TextWriter output)
    {
        var documents = new MLContext(seed: 1).Data.Llm.LoadBrownCorpus().GetColumn<string>("Text").Take(Documents).ToArray();
        var embedder = SentenceEmbedders.MiniLmL6V2();
        var cases = new (string Name, LongTextOptions Options)[]
        {
            ("whole document: windows of 256, length-weighted mean (default)", LongTextOptions.Default),
            ("first window only (256 word pieces, the former behaviour)", LongTextOptions.FirstWindowOnly),
        };
        float[][] Embed(LongTextOptions options) => [.. documents.Chunk(BatchSize).SelectMany(batch => embedder.Embed(batch, options))];

        embedder.Embed(documents.Take(2).ToArray()); // warm-up: session, JIT
        var seconds = cases.Select(_ => new List<double>()).ToList();
        var vectors = new float[cases.Length][][];
        for (int pass = 0; pass < Passes; pass++)
            for (int i = 0; i < cases.Length; i++)
            {
                var watch = Stopwatch.StartNew();
                vectors[i] = Embed(cases[i].Options);
                seconds[i].Add(watch.Elapsed.TotalSeconds);
            }
        var rates = seconds.Select(s => documents.Length / s.Order().ElementAt(s.Count / 2)).ToArray();

        var framing = TokenFraming.Of(embedder.Tokenizer);
        var pieces = documents.Select(d => TokenBatch.EncodeWhole(d, embedder.Tokenizer)).ToArray();
        double windows = pieces.Average(p => TokenWindows.Split(p, framing, embedder.Options.MaxTokens, LongTextOptions.Default).Length);
        var cosines = vectors[0].Zip(vectors[1], (a, b) => TensorPrimitives.CosineSimilarity(a, b)).Order().ToArray();

        output.WriteLine($"all-MiniLM-L6-v2 (ONNX Runtime) on the first {documents.Length} Brown documents: {pieces.Average(p => p.Count):N0} word pieces " +
            $"on average, {windows:0.0} windows of 256 per document (32 tokens of overlap); batches of {BatchSize} documents; median of {Passes} passes; " +
            $"{Environment.ProcessorCount} cores, load average {Measure.LoadAverage()} at the end.");
        output.WriteLine();
        output.WriteLine("| embedding | documents/s | vs first window only |");
        output.WriteLine("| --- | ---: | ---: |");
        for (int i = 0; i < cases.Length; i++)
            output.WriteLine($"| {cases[i].Name} | {rates[i]:N2} | {rates[i] / rates[1]:0.00}x |");
        output.WriteLine();
        output.WriteLine($"Cosine between a document's whole and first-window vectors: median {cosines[cosines.Length / 2]:0.000}, " +
            $"min {cosines[0]:0.000}, max {cosines[^1]:0.000}.");
    }
}
