using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Transforms.Onnx;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using static MLNetLlm.Benchmarks.Measure;

namespace MLNetLlm.Benchmarks.Onnx;

/// <summary>
/// The batched ONNX scoring transforms (issue 20) against ML.NET's ApplyOnnxModel chain and against the TorchSharp
/// transformer of the same model, same rows, same run: rows/s and GC bytes allocated per row scoring SpamAssassin
/// subject lines and mail bodies with the shipped brown-gpt (4 layers, width 256, context 128) as a two-class
/// classifier (fresh head) and as a mean-pooled embedder, batch 32. Then the raw session per batch shape, which says
/// whether a path is bound by per-call overhead or by the model's arithmetic. Medians of interleaved passes.
/// </summary>
public static class OnnxScoringBenchmark
{
    private const int Rows = 96; // three batches: the TorchSharp side takes minutes per pass on mail bodies when the machine is loaded
    private const int Passes = 5;
    private const int Batch = 32;

    private sealed class Mail
    {
        public string Subject { get; set; } = "";
        public string Text { get; set; } = "";
    }

    internal sealed class TextRow
    {
        public string Text { get; set; } = "";
    }

    /// <summary>Runs the comparison and writes markdown tables to <paramref name="output"/>.</summary>
    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var mails = LoadMails(ml, Rows);
        var folder = Directory.CreateTempSubdirectory("mlnetllm-onnx-scoring-");
        try
        {
            var (gpt, tokenizer) = GptFolder.Load(GptModels.BrownPath);
            using var classifier = new TextClassifier(gpt, 2, EmbeddingPooling.LastToken, seed: 1);
            classifier.eval();
            var classifierPath = Path.Combine(folder.FullName, "classifier.onnx");
            MLNetLlm.TorchSharp.Onnx.OnnxExporter.ExportClassifier(classifier, tokenizer!, ["ham", "spam"], classifierPath);
            var (embedGpt, _) = GptFolder.Load(GptModels.BrownPath);
            using var embedder = new GptTextEmbedder(embedGpt, tokenizer!, new GptTextEmbedderOptions { Pooling = EmbeddingPooling.Mean });
            var embedderPath = Path.Combine(folder.FullName, "embedder.onnx");
            embedder.ExportToOnnx(embedderPath);
            int context;
            using (var opened = LlmOnnxModel.Open(classifierPath, intraOpThreads: 1))
                context = opened.Metadata.ContextLength;

            int torchThreads = global::TorchSharp.torch.get_num_threads();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{mails.Count} SpamAssassin mails; brown-gpt exported as a classifier and an embedder (context {context} tokens); {Environment.ProcessorCount} cores, " +
                $"torch threads {torchThreads}, ONNX Runtime intra-op threads: ours {Environment.ProcessorCount}, ApplyOnnxModel's default; " +
                $"load average {LoadAverage()} at start; medians of {Passes} passes; batch {Batch}."));
            output.WriteLine();
            output.WriteLine("| model | texts | mean tokens | ApplyOnnxModel chain rows/s | batched rows/s | speed-up | TorchSharp rows/s | batched / TorchSharp | bytes/row chain | bytes/row batched | bytes/row TorchSharp | bytes/row tokenizer alone | largest difference batched vs chain |");
            output.WriteLine("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var (name, texts) in new[] { ("subject lines", mails.Select(m => m.Subject).ToList()), ("mail bodies", mails.Select(m => m.Text).ToList()) })
            {
                var data = ml.Data.LoadFromEnumerable(texts.Select(t => new TextRow { Text = t }));
                double meanTokens = texts.Average(t => Math.Min(context, tokenizer!.EncodeToIds(t).Count));
                long tokenizerBytes = TokenizerBytesPerRow(texts, tokenizer!, context);

                var labels = new ClassifierLabels(false, ["ham", "spam"]);
                using var torchClassifier = new TextClassifierTransformer(ClassifierCopy(classifier), tokenizer, labels,
                    new TextClassifierTransformerOptions { MaximumLength = context, BatchSize = Batch });
                using var batchedClassifier = (TransformerChain<ITransformer>)ml.Transforms.Llm.ClassifyWithOnnx(classifierPath, scoring: new OnnxScoringOptions { BatchSize = Batch }).Fit(data);
                var chainClassifier = ml.Transforms.Llm.ClassifyWithOnnx(classifierPath, scoring: new OnnxScoringOptions { UseApplyOnnxModel = true }).Fit(data);
                output.WriteLine(Row("classifier", name, meanTokens, tokenizerBytes, texts.Count, data, "Score",
                    chainClassifier, batchedClassifier, torchClassifier));

                using var batchedEmbedder = (TransformerChain<ITransformer>)ml.Transforms.Llm.EmbedTextWithOnnx("Score", embedderPath, longTexts: LongTextOptions.FirstWindowOnly).Fit(data);
                var chainEmbedder = EmbedderChain(ml, embedderPath, tokenizer!, context).Fit(data);
                using var torchEmbedder = ml.Transforms.Llm.EmbedText(new EmbedTextOptions
                {
                    OutputColumnName = "Score", InputColumnName = "Text", Embedder = embedder, BatchSize = Batch, LongTexts = LongTextOptions.FirstWindowOnly,
                }).Fit(data);
                output.WriteLine(Row("embedder", name, meanTokens, tokenizerBytes, texts.Count, data, "Score",
                    chainEmbedder, batchedEmbedder, torchEmbedder));
            }
            output.WriteLine();
            SessionShapes(output, classifierPath, tokenizer!, context);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    internal static List<(string Subject, string Text)> LoadMails(MLContext ml, int rows)
    {
        var sample = ml.Data.Llm.SampleStratified(ml.Data.Llm.LoadSpamAssassin(), "Label", 0.05, seed: 1);
        return ml.Data.CreateEnumerable<Mail>(sample, reuseRowObject: false)
            .Where(m => m.Subject.Trim().Length > 0 && m.Text.Trim().Length > 0)
            .Take(rows)
            .Select(m => (m.Subject, m.Text))
            .ToList();
    }

    // Timed passes of the three paths, interleaved; bytes per row from a pass of each after the timings.
    private static string Row(string model, string texts, double meanTokens, long tokenizerBytes, int rows, IDataView data, string column,
        ITransformer chain, ITransformer batched, ITransformer torch)
    {
        var chainValues = Values(chain.Transform(data), column); // warm-up, and the outputs to compare
        var batchedValues = Values(batched.Transform(data), column);
        Values(torch.Transform(data), column);
        var times = new List<double>[] { [], [], [] };
        var allocated = new List<double>[] { [], [], [] };
        var paths = new[] { chain, batched, torch };
        for (int pass = 0; pass < Passes; pass++)
            for (int p = 0; p < paths.Length; p++)
            {
                long before = GC.GetTotalAllocatedBytes(precise: true);
                times[p].Add(Time(() => Values(paths[p].Transform(data), column, keep: 0)));
                allocated[p].Add((GC.GetTotalAllocatedBytes(precise: true) - before) / (double)rows);
            }
        var bytes = allocated.Select(Median).ToArray();
        var rates = times.Select(t => rows / Median(t)).ToArray();
        double difference = chainValues.Zip(batchedValues).Max(p => p.First.Zip(p.Second).Max(v => Math.Abs(v.First - v.Second)));
        return string.Create(CultureInfo.InvariantCulture,
            $"| {model} | {texts} | {meanTokens:F0} | {rates[0]:F1} | {rates[1]:F1} | {rates[1] / rates[0]:F2}× | {rates[2]:F1} | {rates[1] / rates[2]:F2}× | " +
            $"{bytes[0]:N0} | {bytes[1]:N0} | {bytes[2]:N0} | {tokenizerBytes:N0} | {difference:E1} |");
    }

    // The plain ML.NET way for the embedder, as ClassifyWithOnnx builds it for a classifier: Tokenize padded to the
    // context → ApplyOnnxModel (one call per row) → the embedding column.
    private static IEstimator<ITransformer> EmbedderChain(MLContext ml, string path, LlmTokenizer tokenizer, int context) =>
        ml.Transforms.Llm.Tokenize(new TokenizeOptions
        {
            Tokenizer = tokenizer, InputColumnName = "Text", OutputColumnName = LlmOnnxNames.InputIds,
            AttentionMaskColumnName = LlmOnnxNames.AttentionMask, PadToLength = context,
        })
        .Append(ml.Transforms.ApplyOnnxModel(new OnnxOptions
        {
            ModelFile = path,
            InputColumns = [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask],
            OutputColumns = [LlmOnnxNames.Embedding],
            ShapeDictionary = new Dictionary<string, int[]> { [LlmOnnxNames.InputIds] = [1, context], [LlmOnnxNames.AttentionMask] = [1, context] },
        }))
        .Append(ml.Transforms.CopyColumns("Score", LlmOnnxNames.Embedding));

    private static TextClassifier ClassifierCopy(TextClassifier classifier)
    {
        var (gpt, _) = GptFolder.Load(GptModels.BrownPath);
        var copy = new TextClassifier(gpt, 2, EmbeddingPooling.LastToken, seed: 1); // the same seed: the same head
        copy.eval();
        return copy;
    }

    // The raw session on padded batches of one shape: what one call costs per row at batch 1 and at batch 32.
    private static void SessionShapes(TextWriter output, string path, LlmTokenizer tokenizer, int context)
    {
        using var model = LlmOnnxModel.Open(path, tokenizer);
        output.WriteLine("| raw classifier session, batch × tokens | ms per call | ms per row |");
        output.WriteLine("| --- | ---: | ---: |");
        foreach (var (batch, tokens) in new[] { (1, 17), (32, 17), (1, context), (32, context) })
        {
            long[] ids = [.. Enumerable.Range(0, batch * tokens).Select(i => (long)(i * 7919 % tokenizer.VocabularySize))];
            long[] mask = [.. Enumerable.Repeat(1L, batch * tokens)];
            long[] shape = [batch, tokens];
            void Call()
            {
                using var idValue = OrtValue.CreateTensorValueFromMemory(ids, shape);
                using var maskValue = OrtValue.CreateTensorValueFromMemory(mask, shape);
                using var runOptions = new RunOptions();
                using var outputs = model.Session.Run(runOptions, [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask], [idValue, maskValue], [LlmOnnxNames.Probabilities]);
            }
            Call();
            int calls = Math.Max(3, 64 / batch);
            var times = new List<double>();
            for (int i = 0; i < calls; i++)
                times.Add(Time(Call) * 1000);
            double ms = Median(times);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {batch} × {tokens} | {ms:F1} | {ms / batch:F2} |"));
        }
    }

    internal static long TokenizerBytesPerRow(IReadOnlyList<string> texts, LlmTokenizer tokenizer, int context)
    {
        foreach (var text in texts)
            TokenBatch.EncodeForClassifier(text.AsSpan(), tokenizer, context);
        return AllocatedPerRow(() =>
        {
            foreach (var text in texts)
                TokenBatch.EncodeForClassifier(text.AsSpan(), tokenizer, context);
        }, texts.Count);
    }

    internal static long AllocatedPerRow(Action pass, int rows)
    {
        long before = GC.GetTotalAllocatedBytes(precise: true);
        pass();
        return (GC.GetTotalAllocatedBytes(precise: true) - before) / rows;
    }

    // Reads every row's vector, into one reused buffer: what a consumer that keeps nothing pays.
    private static List<float[]> Values(IDataView scored, string columnName, int keep = 64)
    {
        var column = scored.Schema[columnName];
        var values = new List<float[]>();
        using var cursor = scored.GetRowCursor([column]);
        var getter = cursor.GetGetter<VBuffer<float>>(column);
        var value = default(VBuffer<float>);
        int row = 0;
        while (cursor.MoveNext())
        {
            getter(ref value);
            if (row++ < keep)
                values.Add(value.DenseValues().ToArray()); // the first rows, to compare outputs
        }
        return values;
    }

    internal static double Median(List<double> times)
    {
        var sorted = times.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
