using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class GptLogitsExportTests
{
    [Theory]
    [InlineData(1, 1, false)]
    [InlineData(1, 16, false)]
    [InlineData(3, 7, false)]
    [InlineData(4, 12, true)]
    public void Logits_MatchTorchSharp_ForBatchesAndLengths_WithLeftPadding(int batch, int time, bool untiedHead)
    {
        var config = TinyGpt.Config with { TiedOutputHead = !untiedHead, QkvBias = !untiedHead };
        using var model = Parity.Scramble(new GptModel(config, seed: 3), 3);
        model.eval();
        using var folder = new TemporaryFolder();
        var path = folder.File("gpt.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, path);

        // Row r is padded on the left by r tokens (none when the batch is one row): GptModel.Forward's left padding.
        var padding = Enumerable.Range(0, batch).Select(r => Math.Min(r, time - 1)).ToArray();
        var (ids, mask) = Parity.Batch(batch, time, config.VocabularySize, padding, left: true);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
            expected = Parity.Floats(model.Forward(tensor(ids, [batch, time]), tensor(mask, [batch, time])));

        using var onnx = new OnnxRun(path);
        var outputs = onnx.Run((LlmOnnxNames.InputIds, ids, [batch, time]), (LlmOnnxNames.AttentionMask, mask, [batch, time]));
        var (logits, shape) = outputs[LlmOnnxNames.Logits];
        Assert.Equal([batch, time, config.VocabularySize], shape);
        // Padding positions' logits are don't-cares (TorchSharp lets a padding query see only itself, as the export does, but compare real tokens only).
        Parity.AssertClose(Parity.RealRows(expected, mask, config.VocabularySize), Parity.RealRows(logits, mask, config.VocabularySize), "logits");
    }

    [Fact]
    public void Logits_OfRightPaddedRows_MatchTheUnpaddedRows()
    {
        using var model = Parity.Scramble(new GptModel(TinyGpt.Config, seed: 4), 4);
        model.eval();
        using var folder = new TemporaryFolder();
        var path = folder.File("gpt.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, path);

        var (ids, mask) = Parity.Batch(2, 9, TinyGpt.Config.VocabularySize, [0, 4], left: false);
        using var onnx = new OnnxRun(path);
        var padded = onnx.Run((LlmOnnxNames.InputIds, ids, [2, 9]), (LlmOnnxNames.AttentionMask, mask, [2, 9]))[LlmOnnxNames.Logits].Values;
        var shortRow = ids.Skip(9).Take(5).ToArray();
        var alone = onnx.Run((LlmOnnxNames.InputIds, shortRow, [1, 5]), (LlmOnnxNames.AttentionMask, new long[] { 1, 1, 1, 1, 1 }, [1, 5]))[LlmOnnxNames.Logits].Values;
        var torch = LogitsAssert.Of(model, [.. shortRow.Select(i => (int)i)]);
        int vocabulary = TinyGpt.Config.VocabularySize;
        Parity.AssertClose(torch, padded.AsSpan(9 * vocabulary, 5 * vocabulary).ToArray(), "right-padded row");
        Parity.AssertClose(torch, alone, "row alone");
    }
}
