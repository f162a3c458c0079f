using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;
using static MLNetLlm.Benchmarks.Measure;

namespace MLNetLlm.Benchmarks.Onnx;

/// <summary>
/// ClassifyWithOnnx's batched scorer against the ApplyOnnxModel chain (issue 20), same exported classifier, same rows,
/// same run: rows/s scoring SpamAssassin subject lines and mail bodies (batch 32, and 8 beside it). The classifier is the shipped brown-gpt (4
/// layers, width 256, context 128) with a fresh two-class head, exported to ONNX; weights do not change the speed.
/// Medians of several interleaved passes; the largest difference between the two outputs is printed beside them.
/// </summary>
public static class OnnxClassifyBenchmark
{
    private const int Rows = 256;
    private const int Passes = 7;

    private sealed class Mail
    {
        public string Subject { get; set; } = "";
        public string Text { get; set; } = "";
    }

    private sealed class Scored
    {
        public string Text { get; set; } = "";
    }

    /// <summary>Runs the comparison and writes a markdown table to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var sample = ml.Data.Llm.SampleStratified(ml.Data.Llm.LoadSpamAssassin(), "Label", 0.05, seed: 1);
        var mails = ml.Data.CreateEnumerable<Mail>(sample, reuseRowObject: false)
            .Where(m => m.Subject.Trim().Length > 0 && m.Text.Trim().Length > 0)
            .Take(Rows)
            .ToList();

        var folder = Directory.CreateTempSubdirectory("mlnetllm-onnx-classify-");
        try
        {
            var (gpt, tokenizer) = GptFolder.Load(GptModels.BrownPath);
            var path = Path.Combine(folder.FullName, "classifier.onnx");
            using (var classifier = new TextClassifier(gpt, 2, EmbeddingPooling.LastToken, seed: 1))
            {
                classifier.eval();
                OnnxExporter.ExportClassifier(classifier, tokenizer!, ["ham", "spam"], path);
            }
            int context;
            using (var opened = LlmOnnxModel.Open(path, intraOpThreads: 1))
                context = opened.Metadata.ContextLength;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{mails.Count} SpamAssassin mails, brown-gpt classifier exported to ONNX (context {context} tokens); {Environment.ProcessorCount} cores, " +
                $"ONNX Runtime intra-op threads: ours {Environment.ProcessorCount}, ApplyOnnxModel's default; load average {LoadAverage()} at start; medians of {Passes} passes."));
            output.WriteLine();
            output.WriteLine("| texts | mean tokens | ApplyOnnxModel chain rows/s | batched (32) rows/s | speed-up | batched (8) rows/s | largest score difference |");
            output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (name, texts) in new[] { ("subject lines", mails.Select(m => m.Subject).ToList()), ("mail bodies", mails.Select(m => m.Text).ToList()) })
            {
                var data = ml.Data.LoadFromEnumerable(texts.Select(t => new Scored { Text = t }));
                var chain = ml.Transforms.Llm.ClassifyWithOnnx(path, scoring: new OnnxScoringOptions { UseApplyOnnxModel = true }).Fit(data);
                var batched = ml.Transforms.Llm.ClassifyWithOnnx(path, scoring: new OnnxScoringOptions { BatchSize = 32 }).Fit(data);
                var small = ml.Transforms.Llm.ClassifyWithOnnx(path, scoring: new OnnxScoringOptions { BatchSize = 8 }).Fit(data);
                double meanTokens = texts.Average(t => Math.Min(context, tokenizer!.EncodeToIds(t).Count));
                var chainScores = Scores(chain.Transform(data)); // warm-up, and the outputs to compare
                var batchedScores = Scores(batched.Transform(data));
                var chainTimes = new List<double>();
                var batchedTimes = new List<double>();
                var smallTimes = new List<double>();
                for (int pass = 0; pass < Passes; pass++)
                {
                    chainTimes.Add(Time(() => Scores(chain.Transform(data))));
                    batchedTimes.Add(Time(() => Scores(batched.Transform(data))));
                    smallTimes.Add(Time(() => Scores(small.Transform(data))));
                }
                double chainRate = texts.Count / Median(chainTimes), batchedRate = texts.Count / Median(batchedTimes), smallRate = texts.Count / Median(smallTimes);
                double difference = chainScores.Zip(batchedScores).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
                output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {meanTokens:F0} | {chainRate:F1} | {batchedRate:F1} | {batchedRate / chainRate:F2}× | {smallRate:F1} | {difference:E1} |"));
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static List<float[]> Scores(IDataView scored)
    {
        var column = scored.Schema["Score"];
        var scores = new List<float[]>();
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        while (cursor.MoveNext())
        {
            getter(ref value);
            scores.Add(value.DenseValues().ToArray());
        }
        return scores;
    }

    private static double Median(List<double> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
