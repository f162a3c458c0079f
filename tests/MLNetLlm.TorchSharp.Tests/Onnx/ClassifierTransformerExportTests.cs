using MLNetLlm.Embeddings;
using Microsoft.ML;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.FineTuning;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Tests.Training;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

[Collection(TrainingCollection.Name)]
public class ClassifierTransformerExportTests
{
    [Fact]
    public void AFineTunedClassifier_ExportedFromItsPipeline_GivesItsProbabilities()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var rows = TinyClassification.Subject(40, seed: 1);
        var chain = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, epochs: 1)))
            .Fit(TinyClassification.Data(ml, rows));
        using var classifier = chain.LastTransformer;
        using var folder = new TemporaryFolder();
        var path = folder.File("subject.onnx");

        var metadata = ml.Model.Llm.ExportOnnx(chain, path);
        Assert.Equal(LlmOnnxKind.Classifier, metadata.Kind);
        Assert.Equal(classifier.ClassLabels, metadata.ClassLabels);

        // As the transformer scores: its tokenizer, texts cut at its maximum length, right padded.
        string[] texts = ["the jury said", "new law budget praised the mayor", "city"];
        var tokens = texts.Select(t => classifier.Tokenizer!.EncodeToIds(t).Take(classifier.MaximumLength).Select(i => (long)i).ToArray()).ToArray();
        int time = tokens.Max(t => t.Length);
        var ids = new long[texts.Length * time];
        var mask = new long[texts.Length * time];
        for (int row = 0; row < texts.Length; row++)
        {
            tokens[row].CopyTo(ids, row * time);
            Array.Fill(mask, 1L, row * time, tokens[row].Length);
        }
        using var onnx = new OnnxRun(path);
        var probabilities = onnx.Run((LlmOnnxNames.InputIds, ids, [texts.Length, time]), (LlmOnnxNames.AttentionMask, mask, [texts.Length, time]))[LlmOnnxNames.Probabilities].Values;
        Parity.AssertClose([.. texts.SelectMany(classifier.PredictProbabilities)], probabilities, "fine-tuned class probabilities");
    }

    [Fact]
    public async Task ExportOnnxCli_OfASavedClassifierPipeline_WritesTheClassifier_AndRefusesAnotherKind()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var data = TinyClassification.Data(ml, TinyClassification.WordOrder(24, seed: 1));
        var chain = ml.BinaryClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, epochs: 1, label: "JuryFirst")).Fit(data);
        using var folder = new TemporaryFolder();
        ml.Model.Llm.Save(chain, data.Schema, folder.File("order.zip"));
        chain.Dispose();

        var output = new StringWriter();
        var error = new StringWriter();
        int code = await MLNetLlm.Cli.CliApp.RunAsync(["export-onnx", "-m", folder.File("order.zip"), "-k", "classifier", "-o", folder.File("order.onnx")], output, error);
        Assert.True(code == 0, error.ToString());
        Assert.Contains("out probabilities: float [batch, 2]", output.ToString());
        var metadata = LlmOnnxMetadata.FromProperties(OnnxInspection.Metadata(OnnxInspection.Read(folder.File("order.onnx"))), "order.onnx");
        Assert.Equal(["False", "True"], metadata.ClassLabels);

        var wrong = new StringWriter();
        int refused = await MLNetLlm.Cli.CliApp.RunAsync(["export-onnx", "-m", folder.File("order.zip"), "-k", "with-past", "-o", folder.File("past.onnx")], new StringWriter(), wrong);
        Assert.Equal(MLNetLlm.Cli.CliApp.BadArguments, refused);
        Assert.Contains("OnnxExportOptions.Kind is GptWithPast, but the model is a Classifier", wrong.ToString());
        Assert.False(File.Exists(folder.File("past.onnx")));
    }

    [Fact]
    public void LoraAdapters_AreFoldedIntoTheExport_AndTheClassifierKeepsThem()
    {
        using var classifier = new TextClassifier(new GptModel(TinyGpt.Config, seed: 2), 2, EmbeddingPooling.Mean, seed: 3);
        Lora.Apply(classifier.Backbone, rank: 4, alpha: 8, seed: 4);
        Parity.Scramble(classifier, 5); // lora_B away from zero, so the adapters change the scores
        classifier.eval();
        using var folder = new TemporaryFolder();
        var path = folder.File("lora.onnx");
        OnnxExporter.ExportClassifier(classifier, TinyGpt.Tokenizer, ["no", "yes"], path);
        Assert.Equal((4, 8.0), classifier.LoraSettings);
        Assert.DoesNotContain(OnnxInspection.Read(path).Graph.Initializer, t => t.Name.Contains("lora", StringComparison.Ordinal));

        var (ids, mask) = Parity.Batch(3, 8, TinyGpt.Config.VocabularySize, [0, 3, 5], left: false);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
            expected = Parity.Floats(classifier.forward(tensor(ids, [3, 8]), tensor(mask, [3, 8])));
        using var onnx = new OnnxRun(path);
        Parity.AssertClose(expected, onnx.Run((LlmOnnxNames.InputIds, ids, [3, 8]), (LlmOnnxNames.AttentionMask, mask, [3, 8]))[LlmOnnxNames.Logits].Values, "LoRA classifier logits");
    }
}
