using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class GptExportInspectionTests
{
    [Fact]
    public void LogitsModel_ReadBackWithOnnxSharp_HasTheContractedSignatureOpsetAndMetadata()
    {
        using var model = new GptModel(TinyGpt.Config, seed: 1);
        using var folder = new TemporaryFolder();
        var path = folder.File("gpt.onnx");
        var written = OnnxExporter.Export(model, TinyGpt.Tokenizer, path);

        var proto = OnnxInspection.Read(path);
        Assert.Equal(17, proto.OpsetImport.Single(o => o.Domain == "").Version);
        Assert.Equal("MLNetLlm", proto.ProducerName);
        Assert.Contains("logits", proto.Graph.DocString);
        Assert.Equal(["input_ids: Int64 [batch, sequence]", "attention_mask: Int64 [batch, sequence]"], OnnxInspection.Inputs(proto));
        Assert.Equal(["logits: Float [batch, sequence, 300]"], OnnxInspection.Outputs(proto));
        Assert.DoesNotContain(proto.Graph.Node, n => n.OpType == "Gelu");

        var metadata = LlmOnnxMetadata.FromProperties(OnnxInspection.Metadata(proto), path);
        Assert.Equal(LlmOnnxKind.GptLogits, metadata.Kind);
        Assert.Equal((16, 2, 2, 32), (metadata.ContextLength, metadata.Layers, metadata.Heads, metadata.EmbeddingSize));
        Assert.Equal(TokenizerFingerprint.Of(TinyGpt.Tokenizer), metadata.VocabularyFingerprint);
        Assert.Equal(written.Signature, metadata.Signature);
        Assert.Contains("in  input_ids: int64 [batch, sequence]", metadata.Signature);
        metadata.CheckTokenizer(metadata.LoadTokenizer());

        // ONNX Runtime reads the same metadata.
        using var onnx = new OnnxRun(path);
        Assert.Equal(OnnxInspection.Metadata(proto)[LlmOnnxMetadata.Key], onnx.Session.ModelMetadata.CustomMetadataMap[LlmOnnxMetadata.Key]);
    }
}
