using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Topics;

namespace MLNetLlm.Benchmarks.Topics;

/// <summary>
/// Documents per second of the whole topic pipeline on the first 2,000 Brown-corpus passages of 100 words: EmbedText
/// (all-MiniLM-L6-v2 on ONNX Runtime), then TopicModel's Fit (UMAP + HDBSCAN or KMeans + c-TF-IDF) and Transform,
/// beside ML.NET's own topic model (word counts + LatentDirichletAllocation, 20 topics) on the same texts in the same
/// run. Each stage runs once to warm up on 200 passages first; times are wall clock on this machine.
/// </summary>
public static class TopicBenchmark
{
    private const int Documents = 2_000;
    private const int PassageWords = 100;

    public sealed class Passage
    {
        public string Text { get; set; } = "";
    }

    public static void Run(TextWriter output)
    {
        var ml = new MLContext(seed: 1);
        var passages = ml.Data.CreateEnumerable<Passage>(ml.Data.Llm.LoadBrownCorpus(), reuseRowObject: false)
            .SelectMany(t => Split(t.Text)).Take(Documents).Select(p => new Passage { Text = p }).ToList();
        Measure(ml, passages.Take(200).ToList(), TextWriter.Null); // warm-up: ONNX session, JIT, native LDA
        Measure(ml, passages, output);
    }

    private static void Measure(MLContext ml, List<Passage> passages, TextWriter output)
    {
        var data = ml.Data.LoadFromEnumerable(passages);
        var watch = Stopwatch.StartNew();
        var embedded = ml.Data.Cache(ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data).Transform(data));
        _ = embedded.GetColumn<float[]>("Embedding").Count();
        var embed = watch.Elapsed;

        var rows = new List<(string Stage, TimeSpan Time)> { ("EmbedText (MiniLM, ONNX Runtime)", embed) };
        foreach (var clustering in new[] { TopicClustering.Hdbscan, TopicClustering.KMeans })
        {
            watch.Restart();
            var model = ml.Transforms.Llm.TopicModel(new TopicModelOptions
            {
                Clustering = clustering, NumberOfTopics = 20, MinClusterSize = 15, MinDocumentFrequency = 2,
            }).Fit(embedded);
            var fit = watch.Elapsed;
            watch.Restart();
            _ = model.Transform(embedded).GetColumn<int>("Topic").Count();
            var transform = watch.Elapsed;
            rows.Add(($"TopicModel Fit ({clustering}, UMAP 5)", fit));
            rows.Add(($"TopicModel Transform ({clustering})", transform));
            rows.Add(($"whole pipeline: embed + Fit + Transform ({clustering})", embed + fit + transform));
        }

        watch.Restart();
        var lda = ml.Transforms.Text.NormalizeText("Normalized", "Text", keepPunctuations: false, keepNumbers: false)
            .Append(ml.Transforms.Text.TokenizeIntoWords("Tokens", "Normalized"))
            .Append(ml.Transforms.Text.RemoveDefaultStopWords("Tokens"))
            .Append(ml.Transforms.Conversion.MapValueToKey("Tokens"))
            .Append(ml.Transforms.Text.ProduceNgrams("Counts", "Tokens", ngramLength: 1))
            .Append(ml.Transforms.Text.LatentDirichletAllocation("Lda", "Counts", numberOfTopics: 20, resetRandomGenerator: true));
        var ldaModel = lda.Fit(data);
        _ = ldaModel.Transform(data).GetColumn<float[]>("Lda").Count();
        var ldaTime = watch.Elapsed;

        output.WriteLine($"{passages.Count} passages of {PassageWords} words (Brown corpus).");
        output.WriteLine();
        output.WriteLine("| stage | seconds | documents/s | vs LDA pipeline |");
        output.WriteLine("| --- | ---: | ---: | ---: |");
        foreach (var (stage, time) in rows)
            output.WriteLine($"| {stage} | {time.TotalSeconds:F2} | {passages.Count / time.TotalSeconds:N0} | {ldaTime / time:F2}x |");
        output.WriteLine($"| ML.NET word counts + LatentDirichletAllocation (20 topics), Fit + Transform | {ldaTime.TotalSeconds:F2} | " +
            $"{passages.Count / ldaTime.TotalSeconds:N0} | 1.00x |");
    }

    private static IEnumerable<string> Split(string text)
    {
        var words = text.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        for (int start = 0; start + PassageWords / 2 < words.Length; start += PassageWords)
            yield return string.Join(' ', words.Skip(start).Take(PassageWords));
    }
}
