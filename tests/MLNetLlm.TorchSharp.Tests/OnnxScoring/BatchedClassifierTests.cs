using Microsoft.ML;
using MLNetLlm.Embeddings;
using MLNetLlm.Onnx;
using MLNetLlm.TorchSharp.Tests.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.Tests.Workout;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

/// <summary>
/// The batched ONNX Runtime classifier (ClassifyWithOnnx's default): equal to the ApplyOnnxModel chain and to the
/// TorchSharp classifier, whatever the batch and its padding, saved and reloaded, and its bad inputs refused.
/// </summary>
public sealed class BatchedClassifierTests : IClassFixture<OnnxPipelineTests.ExportedModels>
{
    private readonly OnnxPipelineTests.ExportedModels _models;

    public BatchedClassifierTests(OnnxPipelineTests.ExportedModels models) => _models = models;

    private sealed class Row
    {
        public string? Text { get; set; }
        public string Label { get; set; } = "";
    }

    private sealed class NumberRow
    {
        public float Text { get; set; }
    }

    // Lengths from one token to past the exported context (16), so batches group and pad them differently.
    private static readonly Row[] Mixed =
    [
        new() { Text = "The jury said the election.", Label = "ham" },
        new() { Text = "Our", Label = "spam" },
        new() { Text = "A report found a tax plan. The city voted. The mayor denied the report and the jury said the city voted on the plan.", Label = "other" },
        new() { Text = "Our mayor denied", Label = "spam" },
        new() { Text = "The city voted on the tax plan. A report found", Label = "ham" },
        new() { Text = "The election", Label = "other" },
        new() { Text = "A report found a tax plan. The city voted.", Label = "ham" },
        new() { Text = "The jury said the election. Our mayor denied. The city voted. A report found the plan, the tax and the jury.", Label = "spam" },
    ];

    private static float[] TorchSharpScores(OnnxPipelineTests.ExportedModels models, IReadOnlyList<int> ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var tokens = ids.Select(i => (long)i).ToArray();
        return Parity.Floats(models.Classifier.forward(tensor(tokens, [1, tokens.Length]), ones(1, tokens.Length, dtype: ScalarType.Int64)).softmax(-1));
    }

    [Fact]
    public void Batched_EqualsTheApplyOnnxModelChain_AndTheTorchSharpClassifier_OnRowsOfMixedLengths()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Mixed);
        var batched = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { BatchSize = 3 }).Fit(data).Transform(data);
        var chain = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { UseApplyOnnxModel = true }).Fit(data).Transform(data);

        var scores = DataViewValues.Column<float>(batched, "Score");
        var chainScores = DataViewValues.Column<float>(chain, "Score");
        for (int row = 0; row < Mixed.Length; row++)
        {
            Parity.AssertClose(chainScores[row], scores[row], $"row {row} against the chain", 1e-5);
            var ids = TinyGpt.Tokenizer.EncodeToIds(Mixed[row].Text!).Take(TinyGpt.Config.ContextLength).ToArray();
            Parity.AssertClose(TorchSharpScores(_models, ids), scores[row], $"row {row} against TorchSharp");
        }
        Assert.Equal(DataViewValues.Column<uint>(chain, "PredictedLabel"), DataViewValues.Column<uint>(batched, "PredictedLabel"));
        Assert.Equal(batched.Schema["Score"].Annotations.Schema.Select(c => c.Name), chain.Schema["Score"].Annotations.Schema.Select(c => c.Name));
        Assert.Equal(batched.Schema["PredictedLabel"].Type, chain.Schema["PredictedLabel"].Type);
    }

    [Fact]
    public void Padding_NeverChangesAScore()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Mixed);
        var alone = DataViewValues.Column<float>(ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { BatchSize = 1 }).Fit(data).Transform(data), "Score");

        var batched = DataViewValues.Column<float>(ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath).Fit(data).Transform(data), "Score");
        // The plain chain pads every row to the whole exported context, whatever its length.
        var padded = DataViewValues.Column<float>(ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { UseApplyOnnxModel = true })
            .Fit(data).Transform(data), "Score");
        var lengths = Mixed.Select(r => TinyGpt.Tokenizer.EncodeToIds(r.Text).Count).ToArray();
        Assert.True(lengths.Min() < lengths.Max() / 4, "the rows must differ in length for padding to show");
        for (int row = 0; row < Mixed.Length; row++)
        {
            Parity.AssertClose(alone[row], batched[row], $"row {row} alone and in a batch of rows of other lengths", 1e-5);
            Parity.AssertClose(alone[row], padded[row], $"row {row} alone and padded to {TinyGpt.Config.ContextLength} tokens", 1e-5);
        }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void EmptyAndMissingTexts_AreScoredAsTheTorchSharpClassifierScoresThem(bool useApplyOnnxModel)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Text = "" }, new Row { Text = null }, new Row { Text = "Our mayor denied" } });
        var scoring = new OnnxScoringOptions { UseApplyOnnxModel = useApplyOnnxModel };
        var scores = DataViewValues.Column<float>(ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: scoring).Fit(data).Transform(data), "Score");
        // The TorchSharp classifier reads a text with no token as the end-of-text token alone (TokenBatch.EncodeForClassifier),
        // and so do both ONNX paths: the batched scorer, and the chain's Tokenize through its EmptyTextId.
        var empty = TorchSharpScores(_models, [TinyGpt.Tokenizer.EndOfTextId ?? 0]);
        Parity.AssertClose(empty, scores[0], "empty text", 1e-5);
        Parity.AssertClose(empty, scores[1], "missing text", 1e-5);
        Parity.AssertClose(TorchSharpScores(_models, TinyGpt.Tokenizer.EncodeToIds("Our mayor denied")), scores[2], "text after them", 1e-5);
    }

    [Fact]
    public void EmptyAndMissingTexts_AreEmbeddedByEmbedTextWithOnnx_AsTheTorchSharpEmbedderEmbedsThem()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Text = "" }, new Row { Text = null }, new Row { Text = "Our mayor denied" } });
        using var model = ml.Transforms.Llm.EmbedTextWithOnnx("Vector", _models.EmbedderPath).Fit(data);
        var vectors = DataViewValues.Column<float>(model.Transform(data), "Vector");
        var torch = _models.Embedder.Embed(["", null, "Our mayor denied"]);
        for (int row = 0; row < 3; row++)
            Parity.AssertClose(torch[row], vectors[row], $"row {row}", 1e-5);
        Assert.True(vectors[0].Any(v => v != 0), "an empty text is read as the end-of-text token, not as nothing (a zero vector)");
    }

    [Fact]
    public void EvaluatesWithKeyLabels_SavesAndLoads_AndRefusesANumberColumn()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Mixed);
        var bad = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1 } });
        var model = EstimatorWorkout.Check(ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, "Text", scoring: new OnnxScoringOptions { BatchSize = 4 }), data, (bad, "Text"));
        var scored = model.Transform(data);
        Assert.Equal(["Text", "Label", "Score", "PredictedLabel"], scored.Schema.Where(c => !c.IsHidden).Select(c => c.Name));

        var labels = new[] { "ham", "spam", "other" };
        var predicted = DataViewValues.Column<float>(scored, "Score").Select(s => labels[Array.IndexOf(s, s.Max())]).ToList();
        var withText = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(scored).Transform(scored);
        Assert.Equal(predicted, DataViewValues.Column<ReadOnlyMemory<char>>(withText, "PredictedText").Select(v => v[0].ToString()));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(labels.Select(l => new { Label = l })))
            .Fit(scored).Transform(scored);
        var metrics = ml.MulticlassClassification.Evaluate(keyed);
        Assert.Equal(predicted.Zip(Mixed).Count(p => p.First == p.Second.Label) / (double)Mixed.Length, metrics.MicroAccuracy, 6);

        // A prediction engine scores row by row, as batches of one.
        var engine = ml.Model.CreatePredictionEngine<Row, Prediction>(model);
        Parity.AssertClose(DataViewValues.Column<float>(scored, "Score")[2], engine.Predict(Mixed[2]).Score, "prediction engine row 2", 1e-5);
    }

    private sealed class Prediction
    {
        public float[] Score { get; set; } = [];
    }

    [Fact]
    public void TheApplyOnnxModelChain_StillSavesLoadsAndScores()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Mixed);
        EstimatorWorkout.Check(ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, "Text", scoring: new OnnxScoringOptions { UseApplyOnnxModel = true }), data);
    }

    [Fact]
    public void BadOptions_AndAWrongKind_AreRefused()
    {
        var ml = new MLContext();
        Assert.Contains("Embedder", Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.EmbedderPath)).Message);
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { BatchSize = 0 }));
        Assert.Equal("BatchSize", batch.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { BatchSize = int.MaxValue }));
        var threads = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { IntraOpThreads = 0 }));
        Assert.Equal("IntraOpThreads", threads.ParamName);
        Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { ExecutionProvider = " " }));
    }

    [Fact]
    public void AnAbsentExecutionProvider_FallsBackToTheCpu_WithAMessage_AndTheSameScores()
    {
        var ml = new MLContext(seed: 1);
        var messages = new List<string>();
        ml.Log += (_, e) => { lock (messages) messages.Add(e.Message); };
        var data = ml.Data.LoadFromEnumerable(Mixed);
        var cpu = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath).Fit(data);
        var cuda = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, scoring: new OnnxScoringOptions { ExecutionProvider = "CUDA" }).Fit(data);

        var classifier = Assert.IsType<OnnxClassifierTransformer>(Assert.Single(cuda));
        Assert.Null(Assert.IsType<OnnxClassifierTransformer>(Assert.Single(cpu)).ExecutionProviderFallback);
        Assert.Contains("'CUDA' is not available", classifier.ExecutionProviderFallback);
        Assert.Contains("scoring on the CPU", classifier.ExecutionProviderFallback);
        Assert.Contains(messages, m => m.Contains("'CUDA' is not available"));
        Assert.Equal(DataViewValues.Column<float>(cpu.Transform(data), "Score"), DataViewValues.Column<float>(cuda.Transform(data), "Score"));

        var embedded = ml.Transforms.Llm.EmbedTextWithOnnx("Vector", _models.EmbedderPath, executionProvider: "CUDA").Fit(data);
        var embedder = (OnnxSentenceEmbedder)Assert.IsType<EmbedTextTransformer>(Assert.Single(embedded)).Embedder;
        Assert.Contains("'CUDA' is not available", embedder.ExecutionProviderFallback);
        var onCpu = ml.Transforms.Llm.EmbedTextWithOnnx("Vector", _models.EmbedderPath).Fit(data);
        Assert.Equal(DataViewValues.Column<float>(onCpu.Transform(data), "Vector"), DataViewValues.Column<float>(embedded.Transform(data), "Vector"));
    }
}
