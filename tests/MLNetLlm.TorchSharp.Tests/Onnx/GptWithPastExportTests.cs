using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class GptWithPastExportTests
{
    private static readonly GptConfig Config = TinyGpt.Config;

    [Theory]
    [InlineData(1, 5, 4, false)]
    [InlineData(3, 6, 5, true)]
    public void PrefillThenOneTokenSteps_MatchGptModelWithKvCache(int batch, int prompt, int steps, bool padded)
    {
        using var model = Parity.Scramble(new GptModel(Config, seed: 5), 5);
        model.eval();
        using var folder = new TemporaryFolder();
        var path = folder.File("gpt-past.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, path, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        using var onnx = new OnnxRun(path);
        using var cache = model.CreateCache(batch);
        using var noGrad = no_grad();

        var padding = Enumerable.Range(0, batch).Select(r => padded ? r : 0).ToArray();
        var (ids, mask) = Parity.Batch(batch, prompt, Config.VocabularySize, padding, left: true);
        var random = new Random(9);
        var fullMask = mask.Chunk(prompt).Select(row => row.ToList()).ToArray();      // per row: past + new mask
        var realCounts = new long[batch];
        var past = Enumerable.Range(0, Config.Layers).SelectMany(_ => new[] { new float[0], new float[0] }).ToArray();
        int pastLength = 0;
        for (int step = 0, time = prompt; step <= steps; step++, time = 1)
        {
            // TorchSharp with its cache.
            float[] expected;
            using (var scope = NewDisposeScope())
                expected = Parity.Floats(model.Forward(tensor(ids, [batch, time]), tensor(mask, [batch, time]), cache));

            // ONNX Runtime with positions counted over real tokens (what the scorer computes) and the past fed back.
            var positions = new long[batch * time];
            for (int row = 0; row < batch; row++)
                for (int t = 0; t < time; t++)
                {
                    realCounts[row] += mask[row * time + t];
                    positions[row * time + t] = Math.Max(0, realCounts[row] - 1);
                }
            if (step > 0)
                for (int row = 0; row < batch; row++) fullMask[row].Add(1);
            var inputs = new List<(string, Array, long[])>
            {
                (LlmOnnxNames.InputIds, ids, [batch, time]),
                (LlmOnnxNames.AttentionMask, fullMask.SelectMany(r => r).ToArray(), [batch, pastLength + time]),
                (LlmOnnxNames.PositionIds, positions, [batch, time]),
            };
            for (int layer = 0; layer < Config.Layers; layer++)
            {
                inputs.Add((LlmOnnxNames.PastKey(layer), past[2 * layer], [batch, Config.Heads, pastLength, Config.HeadSize]));
                inputs.Add((LlmOnnxNames.PastValue(layer), past[2 * layer + 1], [batch, Config.Heads, pastLength, Config.HeadSize]));
            }
            var outputs = onnx.Run([.. inputs]);
            var (logits, shape) = outputs[LlmOnnxNames.Logits];
            Assert.Equal([batch, time, Config.VocabularySize], shape);
            Parity.AssertClose(Parity.RealRows(expected, mask, Config.VocabularySize), Parity.RealRows(logits, mask, Config.VocabularySize), $"logits at step {step}");

            pastLength += time;
            for (int layer = 0; layer < Config.Layers; layer++)
            {
                var (keys, keyShape) = outputs[LlmOnnxNames.PresentKey(layer)];
                Assert.Equal([batch, Config.Heads, pastLength, Config.HeadSize], keyShape);
                past[2 * layer] = keys;
                past[2 * layer + 1] = outputs[LlmOnnxNames.PresentValue(layer)].Values;
            }
            ids = [.. Enumerable.Range(0, batch).Select(_ => (long)random.Next(1, Config.VocabularySize))];
            mask = [.. Enumerable.Repeat(1L, batch)];
        }
    }

    [Fact]
    public void WithPastModel_ReadBack_DeclaresPastAndPresentForEveryLayer()
    {
        using var model = new GptModel(Config, seed: 1);
        using var folder = new TemporaryFolder();
        var path = folder.File("gpt-past.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, path, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        var proto = OnnxInspection.Read(path);
        Assert.Equal([
            "input_ids: Int64 [batch, sequence]", "attention_mask: Int64 [batch, total_sequence]", "position_ids: Int64 [batch, sequence]",
            "past_key_values.0.key: Float [batch, 2, past_sequence, 16]", "past_key_values.0.value: Float [batch, 2, past_sequence, 16]",
            "past_key_values.1.key: Float [batch, 2, past_sequence, 16]", "past_key_values.1.value: Float [batch, 2, past_sequence, 16]"],
            OnnxInspection.Inputs(proto));
        Assert.Equal([
            "logits: Float [batch, sequence, 300]",
            "present.0.key: Float [batch, 2, total_sequence, 16]", "present.0.value: Float [batch, 2, total_sequence, 16]",
            "present.1.key: Float [batch, 2, total_sequence, 16]", "present.1.value: Float [batch, 2, total_sequence, 16]"],
            OnnxInspection.Outputs(proto));
        var metadata = LlmOnnxMetadata.FromProperties(OnnxInspection.Metadata(proto), path);
        Assert.Equal(LlmOnnxKind.GptWithPast, metadata.Kind);
        Assert.Equal(16, metadata.HeadSize);
    }
}
