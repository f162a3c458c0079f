using Microsoft.ML.OnnxRuntime;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class ExportBadInputTests
{
    [Fact]
    public void DisposedModel_ThrowsObjectDisposed_AndWritesNothing()
    {
        var model = new GptModel(TinyGpt.Config, seed: 1);
        model.Dispose();
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<ObjectDisposedException>(() => OnnxExporter.Export(model, TinyGpt.Tokenizer, folder.File("gpt.onnx")));
        Assert.Contains("disposed", error.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void DivergedWeights_AreRefused_NamingTheParameter_AndTheExistingFileIsKept()
    {
        using var model = new GptModel(TinyGpt.Config, seed: 1);
        using var folder = new TemporaryFolder();
        var path = folder.File("gpt.onnx");
        File.WriteAllText(path, "the previous export");
        using (no_grad())
            model.named_parameters().Single(p => p.name == "h.1.mlp.c_fc.weight").parameter[0, 0] = float.NaN;

        var error = Assert.Throws<InvalidOperationException>(() => OnnxExporter.Export(model, TinyGpt.Tokenizer, path));
        Assert.Contains("h.1.mlp.c_fc.weight", error.Message);
        Assert.Equal("the previous export", File.ReadAllText(path));
        Assert.Single(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void UnwritablePath_ThrowsIOException_SayingWhere()
    {
        using var model = new GptModel(TinyGpt.Config, seed: 1);
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File("a-file"), "");

        var underAFile = Assert.Throws<IOException>(() => OnnxExporter.Export(model, TinyGpt.Tokenizer, Path.Combine(folder.File("a-file"), "gpt.onnx")));
        Assert.Contains("Cannot write the ONNX model to", underAFile.Message);
        var aFolder = Assert.Throws<IOException>(() => OnnxExporter.Export(model, TinyGpt.Tokenizer, folder.Path));
        Assert.Contains("it is a folder", aFolder.Message);
    }

    [Fact]
    public void MissingFolder_IsCreated_AndAnExistingModelIsReplacedWithoutLeftovers()
    {
        using var model = new GptModel(TinyGpt.Config, seed: 1);
        using var folder = new TemporaryFolder();
        var path = Path.Combine(folder.Path, "new", "deeper", "gpt.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, path);
        OnnxExporter.Export(model, TinyGpt.Tokenizer, path, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        Assert.Equal(["gpt.onnx"], Directory.EnumerateFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
        Assert.Equal(LlmOnnxKind.GptWithPast, LlmOnnxMetadata.FromProperties(OnnxInspection.Metadata(OnnxInspection.Read(path)), path).Kind);
    }

    [Fact]
    public void ATokenizerLargerThanTheModel_IsRefused()
    {
        using var model = new GptModel(TinyGpt.Config with { VocabularySize = 100 }, seed: 1);
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(model, TinyGpt.Tokenizer, folder.File("gpt.onnx")));
        Assert.Equal("tokenizer", error.ParamName);
    }

    [Fact]
    public void BadOptionsAndLabels_AreRefused_NamingThem()
    {
        using var classifier = new TextClassifier(new GptModel(TinyGpt.Config, seed: 1), 2, seed: 1);
        using var folder = new TemporaryFolder();
        var kind = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(((GptModel)classifier.Backbone), TinyGpt.Tokenizer, folder.File("m.onnx"), new OnnxExportOptions { Kind = LlmOnnxKind.Classifier }));
        Assert.Contains("OnnxExportOptions.Kind", kind.Message);
        Assert.Contains("ExportClassifier", kind.Message);
        var threshold = Assert.Throws<ArgumentException>(() => OnnxExporter.Export(((GptModel)classifier.Backbone), TinyGpt.Tokenizer, folder.File("m.onnx"), new OnnxExportOptions { ExternalDataThreshold = -1 }));
        Assert.Contains("ExternalDataThreshold", threshold.Message);
        var labels = Assert.Throws<ArgumentException>(() => OnnxExporter.ExportClassifier(classifier, TinyGpt.Tokenizer, ["only one"], folder.File("m.onnx")));
        Assert.Equal("classLabels", labels.ParamName);
        Assert.Empty(Directory.EnumerateFileSystemEntries(folder.Path));
    }

    [Fact]
    public void SequencesLongerThanTheContext_AreRefusedByOnnxRuntime_AtThePositionTable()
    {
        using var model = new GptModel(TinyGpt.Config, seed: 1);
        using var folder = new TemporaryFolder();
        var path = folder.File("gpt.onnx");
        var metadata = OnnxExporter.Export(model, TinyGpt.Tokenizer, path);
        int tooLong = metadata.ContextLength + 1;
        using var onnx = new OnnxRun(path);
        var ones = Enumerable.Repeat(1L, tooLong).ToArray();
        var error = Assert.Throws<OnnxRuntimeException>(() => onnx.Run((LlmOnnxNames.InputIds, ones, [1, tooLong]), (LlmOnnxNames.AttentionMask, ones, [1, tooLong])));
        Assert.Contains("position_embedding_lookup", error.Message);
        Assert.Contains("out of data bounds", error.Message);
        // Exactly the context length is fine.
        onnx.Run((LlmOnnxNames.InputIds, ones[1..], [1, tooLong - 1]), (LlmOnnxNames.AttentionMask, ones[1..], [1, tooLong - 1]));
    }
}
