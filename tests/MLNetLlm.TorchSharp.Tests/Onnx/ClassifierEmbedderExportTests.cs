using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

public class ClassifierEmbedderExportTests
{
    private static readonly string[] Labels = ["news", "sports", "weather"];

    [Theory]
    [InlineData(EmbeddingPooling.LastToken, 1, 6)]
    [InlineData(EmbeddingPooling.LastToken, 4, 11)]
    [InlineData(EmbeddingPooling.Mean, 4, 11)]
    public void Classifier_ProbabilitiesAndLogits_MatchTorchSharp_OnARightPaddedBatch(EmbeddingPooling pooling, int batch, int time)
    {
        using var classifier = Parity.Scramble(new TextClassifier(new GptModel(TinyGpt.Config, seed: 6), Labels.Length, pooling, seed: 7), 7);
        classifier.eval();
        using var folder = new TemporaryFolder();
        var path = folder.File("classifier.onnx");
        var metadata = OnnxExporter.ExportClassifier(classifier, TinyGpt.Tokenizer, Labels, path);
        Assert.Equal(Labels, metadata.ClassLabels);
        Assert.Equal(pooling.ToString(), metadata.Pooling);

        var padding = Enumerable.Range(0, batch).Select(r => Math.Min(2 * r, time - 1)).ToArray();
        var (ids, mask) = Parity.Batch(batch, time, TinyGpt.Config.VocabularySize, padding, left: false);
        float[] logits, probabilities;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            var scores = classifier.forward(tensor(ids, [batch, time]), tensor(mask, [batch, time]));
            (logits, probabilities) = (Parity.Floats(scores), Parity.Floats(scores.softmax(-1)));
        }

        using var onnx = new OnnxRun(path);
        var outputs = onnx.Run((LlmOnnxNames.InputIds, ids, [batch, time]), (LlmOnnxNames.AttentionMask, mask, [batch, time]));
        Assert.Equal([batch, Labels.Length], outputs[LlmOnnxNames.Probabilities].Shape);
        Parity.AssertClose(logits, outputs[LlmOnnxNames.Logits].Values, "class logits");
        Parity.AssertClose(probabilities, outputs[LlmOnnxNames.Probabilities].Values, "class probabilities");

        // The same texts padded on the left score the same: positions and keys follow the mask, not the padding side.
        var (leftIds, leftMask) = LeftPadded(ids, mask, batch, time);
        var left = onnx.Run((LlmOnnxNames.InputIds, leftIds, [batch, time]), (LlmOnnxNames.AttentionMask, leftMask, [batch, time]));
        Parity.AssertClose(logits, left[LlmOnnxNames.Logits].Values, "class logits, left padded");
    }

    [Theory]
    [InlineData(EmbeddingPooling.Mean, true)]
    [InlineData(EmbeddingPooling.Mean, false)]
    [InlineData(EmbeddingPooling.LastToken, true)]
    [InlineData(EmbeddingPooling.FirstToken, false)]
    public void Embedder_Vectors_MatchGptTextEmbedder(EmbeddingPooling pooling, bool normalize)
    {
        using var model = Parity.Scramble(new GptModel(TinyGpt.Config, seed: 8), 8);
        model.eval();
        using var embedder = new GptTextEmbedder(model, TinyGpt.Tokenizer, new GptTextEmbedderOptions { Pooling = pooling, Normalize = normalize });
        using var folder = new TemporaryFolder();
        var path = folder.File("embedder.onnx");
        var metadata = embedder.ExportToOnnx(path);
        Assert.Equal((pooling.ToString(), normalize), (metadata.Pooling, metadata.Normalized));

        string[] texts = ["The jury said the election.", "A report", "Our mayor praised the new law and the school board.", "city"];
        var expected = embedder.Embed(texts, LongTextOptions.FirstWindowOnly).SelectMany(v => v).ToArray(); // the graph reads one window
        var tokens = texts.Select(t => TinyGpt.Tokenizer.EncodeToIds(t).Take(TinyGpt.Config.ContextLength).Select(i => (long)i).ToArray()).ToArray();
        int time = tokens.Max(t => t.Length);
        var ids = new long[texts.Length * time];
        var mask = new long[texts.Length * time];
        for (int row = 0; row < texts.Length; row++)
        {
            tokens[row].CopyTo(ids, row * time);
            Array.Fill(mask, 1L, row * time, tokens[row].Length);
        }

        using var onnx = new OnnxRun(path);
        var (vectors, shape) = onnx.Run((LlmOnnxNames.InputIds, ids, [texts.Length, time]), (LlmOnnxNames.AttentionMask, mask, [texts.Length, time]))[LlmOnnxNames.Embedding];
        Assert.Equal([texts.Length, TinyGpt.Config.EmbeddingSize], shape);
        Parity.AssertClose(expected, vectors, "embeddings");
    }

    [Fact]
    public void Classifier_ReadBack_HasIdsAndMaskIn_AndProbabilitiesAndLogitsOut()
    {
        using var classifier = new TextClassifier(new GptModel(TinyGpt.Config, seed: 6), Labels.Length, seed: 7);
        using var folder = new TemporaryFolder();
        var path = folder.File("classifier.onnx");
        OnnxExporter.ExportClassifier(classifier, TinyGpt.Tokenizer, Labels, path);
        var proto = OnnxInspection.Read(path);
        Assert.Equal(["input_ids: Int64 [batch, sequence]", "attention_mask: Int64 [batch, sequence]"], OnnxInspection.Inputs(proto));
        Assert.Equal(["probabilities: Float [batch, 3]", "logits: Float [batch, 3]"], OnnxInspection.Outputs(proto));
        var metadata = LlmOnnxMetadata.FromProperties(OnnxInspection.Metadata(proto), path);
        Assert.Equal((LlmOnnxKind.Classifier, "LastToken"), (metadata.Kind, metadata.Pooling));
        Assert.Equal(Labels, metadata.ClassLabels);
    }

    [Fact]
    public void Embedder_ReadBack_HasIdsAndMaskInAndOneVectorOut()
    {
        using var model = new GptModel(TinyGpt.Config, seed: 8);
        using var folder = new TemporaryFolder();
        var path = folder.File("embedder.onnx");
        OnnxExporter.ExportEmbedder(model, TinyGpt.Tokenizer, EmbeddingPooling.Mean, normalize: true, path);
        var proto = OnnxInspection.Read(path);
        Assert.Equal(["input_ids: Int64 [batch, sequence]", "attention_mask: Int64 [batch, sequence]"], OnnxInspection.Inputs(proto));
        Assert.Equal(["embedding: Float [batch, 32]"], OnnxInspection.Outputs(proto));
        Assert.Equal(LlmOnnxKind.Embedder, LlmOnnxMetadata.FromProperties(OnnxInspection.Metadata(proto), path).Kind);
    }

    private static (long[] Ids, long[] Mask) LeftPadded(long[] ids, long[] mask, int batch, int time)
    {
        var leftIds = new long[ids.Length];
        var leftMask = new long[mask.Length];
        for (int row = 0; row < batch; row++)
        {
            int real = (int)mask.AsSpan(row * time, time).ToArray().Sum();
            ids.AsSpan(row * time, real).CopyTo(leftIds.AsSpan(row * time + time - real));
            leftMask.AsSpan(row * time + time - real, real).Fill(1);
        }
        return (leftIds, leftMask);
    }
}
