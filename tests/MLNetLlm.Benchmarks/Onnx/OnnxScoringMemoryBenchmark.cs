using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using static MLNetLlm.Benchmarks.Measure;

namespace MLNetLlm.Benchmarks.Onnx;

/// <summary>
/// Steady-state memory of the batched ONNX classifier (issue 20): a million SpamAssassin subject lines (256 cycled) scored
/// through one cursor by a small GPT classifier (GptConfig.Tiny, GPT-2 tokenizer, random weights) exported to ONNX:
/// resident memory, managed heap and GC bytes allocated per row at checkpoints, beside the tokenizer's own bytes per row.
/// </summary>
public static class OnnxScoringMemoryBenchmark
{
    private const int Rows = 1_000_000;

    /// <summary>Runs the measurement and writes a markdown table to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var subjects = OnnxScoringBenchmark.LoadMails(ml, 256).Select(m => new OnnxScoringBenchmark.TextRow { Text = m.Subject }).ToArray();
        var tokenizer = LlmTokenizers.Gpt2();
        var folder = Directory.CreateTempSubdirectory("mlnetllm-onnx-memory-");
        try
        {
            var path = Path.Combine(folder.FullName, "classifier.onnx");
            using (var classifier = new TextClassifier(new GptModel(GptConfig.Tiny, seed: 1), 2, EmbeddingPooling.LastToken, seed: 1))
            {
                classifier.eval();
                MLNetLlm.TorchSharp.Onnx.OnnxExporter.ExportClassifier(classifier, tokenizer, ["ham", "spam"], path);
            }
            var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i => subjects[i % subjects.Length])); // row objects reused: the source allocates nothing per row
            using var model = (TransformerChain<ITransformer>)ml.Transforms.Llm.ClassifyWithOnnx(path, scoring: new OnnxScoringOptions { BatchSize = 32 }).Fit(data);
            var scored = model.Transform(data);
            long tokenizerBytes = OnnxScoringBenchmark.TokenizerBytesPerRow([.. subjects.Select(s => s.Text)], tokenizer, GptConfig.Tiny.ContextLength);

            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{Rows:N0} subject lines (256 cycled), GptConfig.Tiny classifier exported to ONNX, batch 32, {Environment.ProcessorCount} cores, load average {LoadAverage()} at start; " +
                $"the tokenizer alone allocates {tokenizerBytes:N0} bytes per row on these lines."));
            output.WriteLine();
            output.WriteLine("| rows scored | resident MB | managed heap MB | GC bytes/row since the last line | rows/s since the last line |");
            output.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
            var checkpoints = new HashSet<int> { 10_000, 100_000, 250_000, 500_000, 750_000, 1_000_000 };
            var score = scored.Schema["Score"];
            using var cursor = scored.GetRowCursor([score, scored.Schema["PredictedLabel"]]);
            var getScore = cursor.GetGetter<VBuffer<float>>(score);
            var getLabel = cursor.GetGetter<uint>(scored.Schema["PredictedLabel"]);
            var value = default(VBuffer<float>);
            uint key = 0;
            int rows = 0, lastRows = 0;
            long lastAllocated = GC.GetTotalAllocatedBytes(precise: true);
            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (cursor.MoveNext())
            {
                getScore(ref value);
                getLabel(ref key);
                if (!checkpoints.Contains(++rows))
                    continue;
                long allocated = GC.GetTotalAllocatedBytes(precise: true);
                double seconds = watch.Elapsed.TotalSeconds;
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {rows:N0} | {ResidentMegabytes()} | {GC.GetTotalMemory(false) / (1 << 20)} | {(allocated - lastAllocated) / (rows - lastRows):N0} | {(rows - lastRows) / seconds:F0} |"));
                output.Flush();
                lastAllocated = GC.GetTotalAllocatedBytes(precise: true);
                lastRows = rows;
                watch.Restart();
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
