using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

/// <summary>
/// The ONNX Runtime session behind ClassifyWithOnnx and EmbedTextWithOnnx: one per model, shared by the transformers an
/// estimator fits and by their cursors, released when the last of them is disposed (a TransformerChain disposes its
/// stages). Memory over many rows: <see cref="OnnxScoringMemoryTests"/>.
/// </summary>
public sealed class OnnxScoringLifetimeTests : IClassFixture<OnnxPipelineTests.ExportedModels>
{
    private readonly OnnxPipelineTests.ExportedModels _models;

    public OnnxScoringLifetimeTests(OnnxPipelineTests.ExportedModels models) => _models = models;

    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    private static readonly Row[] Rows = [new() { Text = "The jury said" }, new() { Text = "Our mayor denied the report" }, new() { Text = "The city" }];

    [Fact]
    public void TheTransformersOfOneEstimator_ShareTheSession_AndTheLastDisposedReleasesIt()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        var estimator = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath);
        var first = estimator.Fit(data);
        var second = estimator.Fit(data);
        var expected = DataViewValues.Column<float>(first.Transform(data), "Score");

        first.Dispose();
        first.Dispose(); // twice is once
        Assert.Equal(expected, DataViewValues.Column<float>(second.Transform(data), "Score"));
        var third = estimator.Fit(data);

        second.Dispose();
        Assert.Equal(expected, DataViewValues.Column<float>(third.Transform(data), "Score"));
        third.Dispose();

        var error = Assert.Throws<ObjectDisposedException>(() => DataViewValues.Column<float>(third.Transform(data), "Score"));
        Assert.Contains("ClassifyWithOnnx was disposed", error.Message);
        Assert.Throws<ObjectDisposedException>(() => estimator.Fit(data));
    }

    [Fact]
    public void ACursorKeepsItsBatch_WhenTheTransformerIsDisposedUnderIt_AndTheNextBatchSaysSo()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        var model = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { BatchSize = 2 }).Fit(data);
        var scored = model.Transform(data);
        var expected = DataViewValues.Column<float>(scored, "Score");

        using var cursor = scored.GetRowCursor([scored.Schema["Score"]]);
        var getter = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
        var value = default(VBuffer<float>);
        Assert.True(cursor.MoveNext());
        getter(ref value);
        Assert.Equal(expected[0], value.DenseValues());
        ((IDisposable)model).Dispose();
        Assert.True(cursor.MoveNext());
        getter(ref value); // the second row is in the batch already scored
        Assert.Equal(expected[1], value.DenseValues());
        Assert.True(cursor.MoveNext());
        Assert.Throws<ObjectDisposedException>(() => getter(ref value));
    }

    [Fact]
    public void DisposingTheFittedChain_ReleasesTheSessions_OfTheClassifierAndTheEmbedder()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        var chain = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath)
            .Append(ml.Transforms.Llm.EmbedTextWithOnnx("Vector", _models.EmbedderPath))
            .Fit(data);
        var embedder = chain.SelectMany(stage => stage as IEnumerable<ITransformer> ?? [stage]).OfType<EmbedTextTransformer>().Single().Embedder;
        Assert.Equal(3, DataViewValues.Column<float>(chain.Transform(data), "Vector").Count);

        chain.Dispose();
        Assert.Throws<ObjectDisposedException>(() => embedder.Embed(["The jury"]));
        Assert.Throws<ObjectDisposedException>(() => DataViewValues.Column<float>(chain.Transform(data), "Score"));
    }

    [Fact]
    public void EmbedTextOverTheCallersEmbedder_LeavesItOpen_WhenDisposed()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        using var onnx = LlmOnnxModel.Open(_models.EmbedderPath, intraOpThreads: 1);
        using var embedder = SentenceEmbedders.FromOnnx(_models.EmbedderPath, onnx.Tokenizer, new OnnxSentenceEmbedderOptions
        {
            InputIdsName = LlmOnnxNames.InputIds, AttentionMaskName = LlmOnnxNames.AttentionMask, TokenTypeIdsName = null, OutputName = LlmOnnxNames.Embedding,
        });
        var model = ml.Transforms.Llm.EmbedText("Vector", "Text", embedder).Fit(data);
        model.Dispose();
        Assert.Single(embedder.Embed(["The jury"]));
    }
}
