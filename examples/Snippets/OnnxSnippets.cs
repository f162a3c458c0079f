using Microsoft.ML;
using Microsoft.ML.Transforms.Onnx;
using MLNetLlm;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;

namespace Snippets;

internal static class OnnxSnippets
{
    /// <summary>Exports a tiny random GPT and classifier, then scores them as the README shows.</summary>
    public static async Task Scoring(MLContext ml)
    {
        var folder = Directory.CreateTempSubdirectory("snippets-onnx-").FullName;
        var tokenizer = LlmTokenizers.Gpt2();
        using var model = new GptModel(GptConfig.Tiny, seed: 1);
        using var classifier = new TextClassifier(new GptModel(GptConfig.Tiny, seed: 2), classCount: 2, seed: 3);
        var data = ml.Data.LoadFromEnumerable(new[] { new { Text = "Win a free prize now" }, new { Text = "Lunch at noon?" } });
        var previous = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(folder);

        // README: Scoring with ONNX Runtime (no libtorch)
        // Training side (MLNetLlm.TorchSharp): export with the tokenizer inside the model file.
        OnnxExporter.Export(model, tokenizer, "gpt-past.onnx", new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        OnnxExporter.ExportClassifier(classifier, tokenizer, ["ham", "spam"], "spam.onnx");

        // Production side (MLNetLlm only): generation with past key/values ...
        using var generator = new OnnxGptGenerator("gpt-past.onnx");           // tokenizer read from the model
        string greedy = generator.Generate("The jury said", new GenerationOptions { Greedy = true, MaxNewTokens = 20 });
        await foreach (string piece in generator.StreamAsync("The jury said", new GenerationOptions { TopK = 40, TopP = 0.95, Seed = 7 }))
            Console.Write(piece);

        // ... and a classifier in an ML.NET pipeline: Score (probabilities) and PredictedLabel (a key over the labels).
        var scorer = ml.Transforms.Llm.ClassifyWithOnnx("spam.onnx", "Text", sequenceLength: 32).Fit(data);
        var predictions = ml.Transforms.Conversion.MapKeyToValue("Predicted", "PredictedLabel").Fit(scorer.Transform(data)).Transform(scorer.Transform(data));
        ml.Model.Llm.Save(scorer, data.Schema, "spam-scorer.zip");             // the ONNX model is stored inside
        // end

        // docs/onnx-scoring.md: the plain chain
        using var onnx = LlmOnnxModel.Open("spam.onnx");                       // metadata: labels, tokenizer, context
        var plain = ml.Transforms.Llm.Tokenize(new TokenizeOptions
            {
                Tokenizer = onnx.Tokenizer, InputColumnName = "Text", PadToLength = 32,
                OutputColumnName = LlmOnnxNames.InputIds, AttentionMaskColumnName = LlmOnnxNames.AttentionMask,
            })
            .Append(ml.Transforms.ApplyOnnxModel(new OnnxOptions
            {
                ModelFile = "spam.onnx",
                InputColumns = [LlmOnnxNames.InputIds, LlmOnnxNames.AttentionMask],
                OutputColumns = [LlmOnnxNames.Probabilities],
                ShapeDictionary = new Dictionary<string, int[]> { [LlmOnnxNames.InputIds] = [1, 32], [LlmOnnxNames.AttentionMask] = [1, 32] },
            }))
            .Append(ml.Transforms.Llm.MapProbabilitiesToLabel(onnx.Metadata.ClassLabels!));
        // end
        _ = (greedy, predictions, plain.Fit(data).Transform(data).Preview());
        Console.WriteLine();
        Directory.SetCurrentDirectory(previous);
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>Compiled only: it needs a fitted classifier.</summary>
    public static void Export(MLContext ml, IDataView data, TextClassifier classifier, LlmTokenizer tokenizer)
    {
        // README: Exporting to ONNX
        var gpt = ml.Transforms.Llm.LoadGpt(GptModels.BrownPath).Fit(data);
        ml.Model.Llm.ExportOnnx(gpt, "brown.onnx");     // input_ids, attention_mask -> logits
        ml.Model.Llm.ExportOnnx(gpt, "brown-past.onnx", new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        OnnxExporter.ExportClassifier(classifier, tokenizer, ["ham", "spam"], "spam.onnx");   // -> probabilities, logits
        // end
    }
}
