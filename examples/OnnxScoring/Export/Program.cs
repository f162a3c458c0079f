// Train side of the ONNX example: load the shipped brown-gpt (pretrained with TorchSharp on the Brown corpus), export it
// as a GPT with past key/values for generation and as a mean-pooled text embedder, fine-tune a news/romance genre
// classifier on it (the head only, in seconds) and export that, then score all three in a SEPARATE process (../Score)
// that references only the core MLNetLlm package: no TorchSharp, no libtorch.
// Usage: dotnet run -c Release --project examples/OnnxScoring/Export -- [output folder]
using System.Diagnostics;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;

var folder = Path.GetFullPath(args.Length > 0 ? args[0] : "onnx-models");
Directory.CreateDirectory(folder);

using (var brown = GptModels.LoadBrown())
{
    var tokenizer = brown.Tokenizer!;
    var gpt = OnnxExporter.Export(brown.Model, tokenizer, Path.Combine(folder, "gpt-with-past.onnx"), new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
    OnnxExporter.ExportEmbedder(brown.Model, tokenizer, EmbeddingPooling.Mean, normalize: true, Path.Combine(folder, "embedder.onnx"));
    Console.WriteLine($"Exported brown-gpt ({gpt.Layers} layers, width {gpt.EmbeddingSize}) to {folder}: gpt-with-past.onnx, embedder.onnx");

    var (train, test) = GenreClassifier.Passages(tokenizer);
    var checkpoint = GptCheckpoint.Load(GptModels.BrownPath);
    using var classifier = new TextClassifier(checkpoint.Model, GenreClassifier.Labels.Length, EmbeddingPooling.Mean, seed: 1);
    double loss = GenreClassifier.TrainHead(classifier, tokenizer, train);
    OnnxExporter.ExportClassifier(classifier, tokenizer, GenreClassifier.Labels, Path.Combine(folder, "genre-classifier.onnx"));
    File.WriteAllLines(Path.Combine(folder, "genre-test.tsv"), test.Select(p => $"{GenreClassifier.Labels[p.Label]}\t{p.Text}"));
    Console.WriteLine($"Trained a news/romance head on {train.Count} Brown passages (final loss {loss:F3}); exported genre-classifier.onnx, {test.Count} held-out passages in genre-test.tsv");
}

// The scorer was built beside this program (same configuration): run it as its own process.
var configurationFolder = new DirectoryInfo(AppContext.BaseDirectory).Parent!;            // bin/<Configuration>/
var scorer = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "Score", "bin",
    configurationFolder.Name, new DirectoryInfo(AppContext.BaseDirectory).Name, "OnnxScoring.Score.dll"));
Console.WriteLine($"Scoring in a separate process: dotnet {Path.GetFileName(scorer)} {folder}");
using var process = Process.Start(new ProcessStartInfo("dotnet", [scorer, folder]) { UseShellExecute = false })!;
process.WaitForExit();
return process.ExitCode;
