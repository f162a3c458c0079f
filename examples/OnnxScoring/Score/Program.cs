// Scores models exported by ../Export with ONNX Runtime alone: this project references only the core MLNetLlm package.
// Usage: dotnet run -c Release --project examples/OnnxScoring/Score -- <folder with gpt-with-past.onnx and embedder.onnx>
using System.Numerics.Tensors;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Onnx;

var folder = args.Length > 0 ? args[0] : "onnx-models";
var ml = new MLContext(seed: 1);

// 1. Generation from the past key/value export: greedy, sampled and streamed.
using (var generator = new OnnxGptGenerator(Path.Combine(folder, "gpt-with-past.onnx")))
{
    var metadata = generator.Model.Metadata;
    Console.WriteLine($"GPT: {metadata.Layers} layers, width {metadata.EmbeddingSize}, context {metadata.ContextLength}, tokenizer {metadata.TokenizerName} ({metadata.VocabularySize} ids)");
    Console.WriteLine("greedy:  The jury said" + generator.Generate("The jury said", new OnnxGenerationOptions { Greedy = true, MaxNewTokens = 25 }).ReplaceLineEndings(" "));
    Console.WriteLine("sampled: The jury said" + generator.Generate("The jury said", new OnnxGenerationOptions { Temperature = 0.8, TopK = 40, TopP = 0.95, MaxNewTokens = 25, Seed = 7 }).ReplaceLineEndings(" "));
    Console.Write("stream:  The county");
    await foreach (var piece in generator.StreamAsync("The county", new OnnxGenerationOptions { Temperature = 0.8, TopK = 40, MaxNewTokens = 25, Seed = 3 }))
        Console.Write(piece.ReplaceLineEndings(" "));
    Console.WriteLine();
    var batch = generator.Generate(["The court", "In the morning, she", "Prices rose"], new OnnxGenerationOptions { Greedy = true, MaxNewTokens = 12 });
    Console.WriteLine("batch:   " + string.Join(" | ", batch.Select(b => b.ReplaceLineEndings(" "))));
}

// 2. Embeddings in an ordinary ML.NET pipeline (Tokenize + ApplyOnnxModel), saved and reloaded.
var sentences = new[]
{
    new Sentence { Text = "The jury praised the city election." },
    new Sentence { Text = "The county voters approved the new tax plan." },
    new Sentence { Text = "She smiled and kissed him goodbye at the door." },
    new Sentence { Text = "He held her hand and whispered that he loved her." },
};
var data = ml.Data.LoadFromEnumerable(sentences);
var embedder = ml.Transforms.Llm.EmbedTextWithOnnx("Embedding", Path.Combine(folder, "embedder.onnx"), "Text").Fit(data); // rows padded to the context
var saved = Path.Combine(folder, "embedding-pipeline.zip");
ml.Model.Llm.Save(embedder, data.Schema, saved);
var reloaded = new MLContext().Model.Llm.Load(saved, out _);
var vectors = ml.Data.CreateEnumerable<Embedded>(reloaded.Transform(data), reuseRowObject: false).Select(e => e.Embedding).ToArray();
Console.WriteLine("cosine similarity of the embeddings (reloaded pipeline):");
for (int i = 0; i < sentences.Length; i++)
    Console.WriteLine($"  {string.Join("  ", vectors.Select(v => TensorPrimitives.CosineSimilarity(vectors[i], v).ToString("F2")))}   {sentences[i].Text}");

// 3. A fine-tuned classifier in an ML.NET pipeline: Score and PredictedLabel (a key over the model's labels), evaluated.
var genreTest = Path.Combine(folder, "genre-test.tsv");
if (File.Exists(genreTest))
{
    var passages = ml.Data.LoadFromEnumerable(File.ReadLines(genreTest).Select(line => line.Split('\t', 2)).Select(f => new Passage { Label = f[0], Text = f[1] }).ToList());
    var classifier = ml.Transforms.Llm.ClassifyWithOnnx(Path.Combine(folder, "genre-classifier.onnx"), "Text", sequenceLength: 64).Fit(passages);
    var scored = classifier.Transform(passages);
    var labels = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(new[] { new { Label = "news" }, new { Label = "romance" } }));
    var metrics = ml.MulticlassClassification.Evaluate(labels.Fit(scored).Transform(scored));
    Console.WriteLine($"genre classifier on {metrics.ConfusionMatrix.Counts.Sum(r => r.Sum())} held-out passages: accuracy {metrics.MicroAccuracy:P1}, log-loss {metrics.LogLoss:F3}");
    var named = ml.Transforms.Conversion.MapKeyToValue("Predicted", "PredictedLabel").Fit(scored).Transform(scored);
    foreach (var row in ml.Data.CreateEnumerable<PredictedPassage>(named, reuseRowObject: false).Take(3))
        Console.WriteLine($"  {row.Predicted,-8} (truth {row.Label}): {row.Text[..60]}...");
}

// 4. Proof of the production path: nothing of TorchSharp or libtorch is in this process.
var torchAssemblies = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name!).Where(n => n.Contains("Torch", StringComparison.OrdinalIgnoreCase)).ToList();
var torchLibraries = File.Exists("/proc/self/maps")
    ? File.ReadLines("/proc/self/maps").Where(l => l.Contains("libtorch", StringComparison.OrdinalIgnoreCase) || l.Contains("LibTorchSharp", StringComparison.OrdinalIgnoreCase)).Distinct().ToList()
    : [];
Console.WriteLine($"TorchSharp assemblies loaded: {torchAssemblies.Count}; libtorch libraries mapped: {torchLibraries.Count}");
return torchAssemblies.Count + torchLibraries.Count == 0 ? 0 : 3;

internal sealed class Sentence
{
    public string Text { get; set; } = "";
}

internal sealed class Passage
{
    public string Label { get; set; } = "";
    public string Text { get; set; } = "";
}

internal sealed class PredictedPassage
{
    public string Label { get; set; } = "";
    public string Text { get; set; } = "";
    public string Predicted { get; set; } = "";
}

internal sealed class Embedded
{
    public float[] Embedding { get; set; } = [];
}
