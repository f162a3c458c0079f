using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

/// <summary>
/// The ONNX Runtime session behind ClassifyWithOnnx and EmbedTextWithOnnx: one per model, shared by the transformers an
/// estimator fits and by their cursors, released when the last of them is disposed (a TransformerChain disposes its
/// stages); and steady-state scoring that keeps the managed heap flat over many rows.
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

    [Fact]
    public void ScoringManyShortRows_KeepsTheManagedHeapFlat_AndAllocatesLittlePerRow()
    {
        const int Rows = 200_000, Warm = 20_000;
        var ml = new MLContext(seed: 1);
        var texts = new[] { "The jury said", "Our mayor denied the report", "A tax", "The city voted on the plan", "" }
            .Select(t => new Row { Text = t }).ToArray();
        var data = ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(i => texts[i % texts.Length])); // the same row objects: the source allocates no text
        // Batches of 256 rows, so what a batch costs (ONNX Runtime's Run, the OrtValue wrappers: a few KB) shows as a few
        // bytes a row, and anything allocated per row (a string, an array of probabilities) would show whole.
        using var model = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { BatchSize = 256, IntraOpThreads = 1 }).Fit(data);
        var scored = model.Transform(data);
        var score = scored.Schema["Score"];
        var label = scored.Schema["PredictedLabel"];

        using var cursor = scored.GetRowCursor([score, label]);
        var getScore = cursor.GetGetter<VBuffer<float>>(score);
        var getLabel = cursor.GetGetter<uint>(label);
        var value = default(VBuffer<float>);
        uint key = 0;
        long heapWarm = 0, allocatedWarm = 0;
        int rows = 0, outOfRange = 0;
        while (cursor.MoveNext())
        {
            getScore(ref value);
            getLabel(ref key);
            if (key is < 1 or > 3 || value.Length != 3)
                outOfRange++; // counted, not asserted here: an assertion per row would allocate
            if (++rows == Warm)
            {
                heapWarm = GC.GetTotalMemory(forceFullCollection: true);
                allocatedWarm = GC.GetAllocatedBytesForCurrentThread();
            }
        }
        long allocatedPerRow = (GC.GetAllocatedBytesForCurrentThread() - allocatedWarm) / (Rows - Warm);
        long heapGrowth = GC.GetTotalMemory(forceFullCollection: true) - heapWarm;
        Assert.Equal(Rows, rows);
        Assert.Equal(0, outOfRange);
        Assert.True(heapGrowth < 1 << 20, $"the managed heap grew by {heapGrowth:N0} bytes over {Rows - Warm:N0} rows");

        // What is left per row is the tokenizer's: encoding the same texts alone allocates as much, but for the batches' share.
        long tokenizerPerRow = TokenizerAllocationPerRow(texts.Select(r => r.Text).ToArray(), Rows - Warm);
        Assert.True(allocatedPerRow < tokenizerPerRow + 48,
            $"{allocatedPerRow} bytes allocated per row in steady state, {tokenizerPerRow} of them by the tokenizer alone");
    }

    private static long TokenizerAllocationPerRow(string[] texts, int rows)
    {
        var tokenizer = TinyGpt.Tokenizer;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < rows; i++)
            TokenBatch.EncodeForClassifier(texts[i % texts.Length].AsSpan(), tokenizer, TinyGpt.Config.ContextLength);
        return (GC.GetAllocatedBytesForCurrentThread() - before) / rows;
    }
}
