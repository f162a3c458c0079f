using MLNetLlm.Onnx;
using MLNetLlm.Tests.Persistence;
using MLNetLlm.Tests.Transforms;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Onnx;

public class LlmOnnxModelTests
{
    [Fact]
    public void Open_AModelNotExportedByMLNetLlm_SaysSo()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("foreign.onnx");
        File.WriteAllBytes(path, TinyOnnxModel.MaskedTokens(4)); // a valid ONNX model without MLNetLlm's metadata

        var error = Assert.Throws<InvalidDataException>(() => LlmOnnxModel.Open(path));
        Assert.Contains("not exported by MLNetLlm", error.Message);
        Assert.Throws<InvalidDataException>(() => new OnnxGptGenerator(path));
        var ml = new Microsoft.ML.MLContext();
        Assert.Throws<InvalidDataException>(() => ml.Transforms.Llm.ClassifyWithOnnx(path));
    }

    [Fact]
    public void Open_AFileThatIsNotOnnx_OrMissing_FailsClearly()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("model.onnx");
        File.WriteAllText(path, "not a model");
        Assert.Contains("not a model ONNX Runtime can load", Assert.Throws<InvalidDataException>(() => LlmOnnxModel.Open(path)).Message);
        Assert.Throws<FileNotFoundException>(() => LlmOnnxModel.Open(folder.File("missing.onnx")));
        Assert.Throws<ArgumentOutOfRangeException>(() => LlmOnnxModel.Open(path, intraOpThreads: 0));
    }

    [Fact]
    public void Metadata_RoundTripsThroughProperties_AndRefusesAnotherVocabulary()
    {
        var gpt2 = LlmTokenizers.Gpt2();
        var metadata = LlmOnnxMetadata.For(LlmOnnxKind.Classifier, gpt2, 64, 2, 2, 32) with { ClassLabels = ["ham", "spam"] };
        var read = LlmOnnxMetadata.FromProperties(metadata.ToProperties(), "model.onnx");
        Assert.Equal(LlmOnnxKind.Classifier, read.Kind);
        Assert.Equal(["ham", "spam"], read.ClassLabels);
        Assert.Equal(metadata.VocabularyFingerprint, TokenizerFingerprint.Of(read.LoadTokenizer()));
        read.CheckTokenizer(gpt2);
        read.CheckTokenizer(LlmTokenizers.R50kBase()); // another name, the same ids: accepted

        var other = LlmTokenizers.Cl100kBase();
        var error = Assert.Throws<ArgumentException>(() => read.CheckTokenizer(other));
        Assert.Contains("vocabulary differs", error.Message);
    }
}
