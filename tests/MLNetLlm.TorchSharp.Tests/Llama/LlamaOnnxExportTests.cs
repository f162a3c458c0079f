using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class LlamaOnnxExportTests
{
    [Theory]
    [InlineData("llama", true)]
    [InlineData("qwen2", true)]
    [InlineData("qwen3", true)]
    [InlineData("llama", false)]
    public void Logits_match_TorchSharp_for_a_padded_batch(string modelType, bool leftPadding)
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama(modelType, seed: 21).WriteTo(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;
        var path = folder.File("llama.onnx");

        OnnxExporter.Export(model, tokenizer, path);

        const int batch = 3, time = 11;
        var (ids, mask) = Parity.Batch(batch, time, TinyHuggingFaceLlama.Vocabulary, [0, 3, 7], left: leftPadding);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
            expected = leftPadding
                ? Parity.Floats(model.Forward(tensor(ids, [batch, time]), tensor(mask, [batch, time])))
                : Parity.Floats(model.Forward(tensor(ids, [batch, time])));   // right padding: causal attention keeps it away
        using var onnx = new OnnxRun(path);
        var (logits, shape) = onnx.Run((LlmOnnxNames.InputIds, ids, [batch, time]), (LlmOnnxNames.AttentionMask, mask, [batch, time]))[LlmOnnxNames.Logits];

        Assert.Equal([batch, time, TinyHuggingFaceLlama.Vocabulary], shape);
        Parity.AssertClose(Parity.RealRows(expected, mask, TinyHuggingFaceLlama.Vocabulary), Parity.RealRows(logits, mask, TinyHuggingFaceLlama.Vocabulary), "logits", 1e-4);
    }

    [Fact]
    public void An_embedder_export_pools_the_same_hidden_states()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama("qwen3", seed: 22).WriteTo(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;
        var path = folder.File("embedder.onnx");

        OnnxExporter.ExportEmbedder(model, tokenizer, EmbeddingPooling.Mean, normalize: false, path);

        var (ids, mask) = Parity.Batch(2, 6, TinyHuggingFaceLlama.Vocabulary, [0, 2], left: false);
        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var hidden = ((ITextBackbone)model).ForwardHidden(tensor(ids, [2, 6]), tensor(mask, [2, 6]));  // (2, 6, C)
            var weights = tensor(mask, [2, 6]).to(ScalarType.Float32).unsqueeze(-1);
            expected = Parity.Floats((hidden * weights).sum(1) / weights.sum(1));
        }
        using var onnx = new OnnxRun(path);
        var pooled = onnx.Run((LlmOnnxNames.InputIds, ids, [2, 6]), (LlmOnnxNames.AttentionMask, mask, [2, 6]))[LlmOnnxNames.Embedding].Values;

        Parity.AssertClose(expected, pooled, "mean-pooled hidden states", 1e-4);
    }

    [Theory]
    [InlineData("llama")]
    [InlineData("qwen3")]
    public void The_core_onnx_generator_with_past_gives_the_torchsharp_greedy_tokens(string modelType)
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama(modelType, seed: 23).WriteTo(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;
        var path = folder.File("llama-with-past.onnx");

        var metadata = OnnxExporter.Export(model, tokenizer, path, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        int[][] prompts = [TinyHuggingFaceLlama.SampleIds, [12, 250, 3]];
        var options = new MLNetLlm.Generation.GenerationOptions { Greedy = true, MaxNewTokens = 20 };
        var torch = new MLNetLlm.TorchSharp.Generation.LlamaGenerator(model, tokenizer).GenerateIds(prompts, options);
        using var onnx = new OnnxGptGenerator(path);

        Assert.Equal(model.Config.KvHeads, metadata.PastHeads);
        Assert.Equal(model.Config.HeadSize, metadata.HeadSize);
        Assert.Equal(torch, onnx.GenerateIds(prompts, options));
    }
}
