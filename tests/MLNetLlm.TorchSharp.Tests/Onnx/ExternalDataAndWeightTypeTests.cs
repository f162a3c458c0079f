using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class ExternalDataAndWeightTypeTests
{
    private static readonly long[] Ids = [5, 17, 42, 9, 100, 7];
    private static readonly long[] Mask = [1, 1, 1, 1, 1, 1];

    [Fact]
    public void AboveTheThreshold_WeightsGoToADataFileBesideTheModel_WhichOnnxRuntimeLoads()
    {
        using var model = Parity.Scramble(new GptModel(TinyGpt.Config, seed: 2), 2);
        using var folder = new TemporaryFolder();
        var inline = folder.File("inline.onnx");
        var external = folder.File("external.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, inline);
        OnnxExporter.Export(model, TinyGpt.Tokenizer, external, new OnnxExportOptions { ExternalDataThreshold = 1000 });

        Assert.True(File.Exists(external + ".data"));
        Assert.False(File.Exists(inline + ".data"));
        Assert.True(new FileInfo(external).Length < new FileInfo(inline).Length / 2);
        var proto = OnnxInspection.Read(external);
        Assert.Contains(proto.Graph.Initializer, t => t.ExternalData.Any(e => e.Key == "location" && e.Value == "external.onnx.data"));

        using var a = new OnnxRun(inline);
        using var b = new OnnxRun(external);
        var expected = a.Run((LlmOnnxNames.InputIds, Ids, [1, 6]), (LlmOnnxNames.AttentionMask, Mask, [1, 6]))[LlmOnnxNames.Logits].Values;
        var actual = b.Run((LlmOnnxNames.InputIds, Ids, [1, 6]), (LlmOnnxNames.AttentionMask, Mask, [1, 6]))[LlmOnnxNames.Logits].Values;
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Float16Weights_HalveTheFile_AndMoveLogitsByTheRoundingOnly()
    {
        using var model = new GptModel(TinyGpt.Config with { VocabularySize = 300 }, seed: 3);
        model.eval();
        using var folder = new TemporaryFolder();
        var full = folder.File("fp32.onnx");
        var half = folder.File("fp16.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, full);
        OnnxExporter.Export(model, TinyGpt.Tokenizer, half, new OnnxExportOptions { WeightType = OnnxWeightType.Float16 });
        Assert.True(new FileInfo(half).Length < 0.6 * new FileInfo(full).Length);

        using var a = new OnnxRun(full);
        using var b = new OnnxRun(half);
        var expected = a.Run((LlmOnnxNames.InputIds, Ids, [1, 6]), (LlmOnnxNames.AttentionMask, Mask, [1, 6]))[LlmOnnxNames.Logits];
        var actual = b.Run((LlmOnnxNames.InputIds, Ids, [1, 6]), (LlmOnnxNames.AttentionMask, Mask, [1, 6]))[LlmOnnxNames.Logits];
        Assert.Equal(expected.Shape, actual.Shape);
        double scale = expected.Values.Max(Math.Abs);
        double worst = expected.Values.Zip(actual.Values, (e, h) => Math.Abs(e - h)).Max();
        Assert.InRange(worst, 1e-7, 2e-3 * scale); // changed (the weights were rounded), but only by float16 rounding
    }

    [Fact]
    public void Int8Weights_QuantiseTheBlocksMatMuls_AndKeepTheLogitsClose()
    {
        var config = TinyGpt.Config with { EmbeddingSize = 64, Heads = 2 };
        using var model = new GptModel(config, seed: 4);
        model.eval();
        using var folder = new TemporaryFolder();
        var full = folder.File("fp32.onnx");
        var int8 = folder.File("int8.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, full);
        OnnxExporter.Export(model, TinyGpt.Tokenizer, int8, new OnnxExportOptions { WeightType = OnnxWeightType.Int8 });
        var proto = OnnxInspection.Read(int8);
        Assert.Equal(config.Layers * 4, proto.Graph.Node.Count(n => n.OpType == "MatMulInteger"));
        Assert.Contains(proto.Graph.Initializer, t => t.Name == "h.0.attn.c_attn.weight.int8" && t.DataType == (int)global::Onnx.TensorProto.Types.DataType.Int8);

        using var a = new OnnxRun(full);
        using var b = new OnnxRun(int8);
        var expected = a.Run((LlmOnnxNames.InputIds, Ids, [1, 6]), (LlmOnnxNames.AttentionMask, Mask, [1, 6]))[LlmOnnxNames.Logits];
        var actual = b.Run((LlmOnnxNames.InputIds, Ids, [1, 6]), (LlmOnnxNames.AttentionMask, Mask, [1, 6]))[LlmOnnxNames.Logits];
        double scale = expected.Values.Max(Math.Abs);
        double worst = expected.Values.Zip(actual.Values, (e, q) => Math.Abs(e - q)).Max();
        Assert.InRange(worst, 1e-6, 0.05 * scale); // rounded weights and activations move the logits, a little
    }
}
