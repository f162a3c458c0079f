using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using Microsoft.ML;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class ExportOnnxCatalogTests
{
    private static readonly long[] Ids = [3, 14, 15, 92, 65];
    private static readonly long[] Mask = [1, 1, 1, 1, 1];

    [Fact]
    public void AFittedGptPipeline_ExportsItsGpt_AsLogitsOrWithPast()
    {
        var ml = new MLContext(seed: 1);
        using var folder = new TemporaryFolder();
        using (var model = Parity.Scramble(new GptModel(TinyGpt.Config, seed: 2), 2))
            GptCheckpoint.Save(model, folder.File("model"), TinyGpt.Tokenizer);
        var data = TinyGpt.Data(ml, documents: 2);
        var chain = ml.Transforms.Llm.Tokenize("Tokens", "Text", TinyGpt.Tokenizer)
            .Append(ml.Transforms.Llm.LoadGpt(folder.File("model"))).Fit(data);
        using var gpt = chain.LastTransformer;

        var logitsPath = folder.File("gpt.onnx");
        var metadata = ml.Model.Llm.ExportOnnx(chain, logitsPath);
        Assert.Equal(LlmOnnxKind.GptLogits, metadata.Kind);
        var withPast = ml.Model.Llm.ExportOnnx(gpt, folder.File("gpt-past.onnx"), new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        Assert.Equal(LlmOnnxKind.GptWithPast, withPast.Kind);

        float[] expected;
        using (var scope = NewDisposeScope())
        using (no_grad())
            expected = Parity.Floats(gpt.Model.Forward(tensor(Ids, [1, Ids.Length])));
        using var onnx = new OnnxRun(logitsPath);
        Parity.AssertClose(expected, onnx.Run((LlmOnnxNames.InputIds, Ids, [1, 5]), (LlmOnnxNames.AttentionMask, Mask, [1, 5]))[LlmOnnxNames.Logits].Values, "logits");
    }

    [Fact]
    public void AnEmbedTextTransformerOverAGpt_ExportsTheEmbedder()
    {
        var ml = new MLContext(seed: 1);
        using var model = Parity.Scramble(new GptModel(TinyGpt.Config, seed: 3), 3);
        model.eval();
        using var embedder = new GptTextEmbedder(model, TinyGpt.Tokenizer, new GptTextEmbedderOptions { Pooling = EmbeddingPooling.LastToken });
        var data = ml.Data.LoadFromEnumerable(new[] { new TinyGpt.Doc { Text = "The jury said the election." } });
        var embed = ml.Transforms.Llm.EmbedText("Embedding", "Text", embedder).Fit(data);
        using var folder = new TemporaryFolder();
        var path = folder.File("embedder.onnx");

        var metadata = ml.Model.Llm.ExportOnnx(embed, path);
        Assert.Equal((LlmOnnxKind.Embedder, "LastToken", true), (metadata.Kind, metadata.Pooling, metadata.Normalized));
        var ids = TinyGpt.Tokenizer.EncodeToIds("The jury said the election.").Select(i => (long)i).ToArray();
        using var onnx = new OnnxRun(path);
        var vector = onnx.Run((LlmOnnxNames.InputIds, ids, [1, ids.Length]), (LlmOnnxNames.AttentionMask, ids.Select(_ => 1L).ToArray(), [1, ids.Length]))[LlmOnnxNames.Embedding].Values;
        Parity.AssertClose(embedder.Embed("The jury said the election."), vector, "embedding");
    }

    [Fact]
    public void NothingExportable_OrADisposedGpt_IsRefusedClearly()
    {
        var ml = new MLContext(seed: 1);
        var data = TinyGpt.Data(ml, documents: 2);
        using var folder = new TemporaryFolder();
        var tokenize = ml.Transforms.Llm.Tokenize("Tokens", "Text", TinyGpt.Tokenizer).Fit(data);
        var none = Assert.Throws<NotSupportedException>(() => ml.Model.Llm.ExportOnnx(tokenize, folder.File("m.onnx")));
        Assert.Contains("Nothing in a TokenizeTransformer exports to ONNX", none.Message);

        using (var model = new GptModel(TinyGpt.Config, seed: 2))
            GptCheckpoint.Save(model, folder.File("model"), TinyGpt.Tokenizer);
        var gpt = ml.Transforms.Llm.LoadGpt(folder.File("model")).Fit(data);
        gpt.Dispose();
        Assert.Throws<ObjectDisposedException>(() => ml.Model.Llm.ExportOnnx(gpt, folder.File("m.onnx")));
        Assert.False(File.Exists(folder.File("m.onnx")));
    }
}
