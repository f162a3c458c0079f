using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Tests.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.Tests.Workout;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.OnnxScoring;

/// <summary>
/// Exported classifiers and embedders scored in ordinary ML.NET pipelines (Tokenize + ApplyOnnxModel + label mapping),
/// against the TorchSharp modules they were exported from, and saved and reloaded with mlContext.Model.Llm.
/// </summary>
public sealed class OnnxPipelineTests : IClassFixture<OnnxPipelineTests.ExportedModels>
{
    private static readonly string[] Labels = ["ham", "spam", "other"];
    private readonly ExportedModels _models;

    public OnnxPipelineTests(ExportedModels models) => _models = models;

    public sealed class ExportedModels : IDisposable
    {
        private readonly TemporaryFolder _folder = new();

        public ExportedModels()
        {
            Classifier = new TextClassifier(new GptModel(TinyGpt.Config, seed: 7), Labels.Length, EmbeddingPooling.LastToken, seed: 8);
            Classifier.eval();
            ClassifierPath = _folder.File("classifier.onnx");
            OnnxExporter.ExportClassifier(Classifier, TinyGpt.Tokenizer, Labels, ClassifierPath);

            Embedder = new GptTextEmbedder(new GptModel(TinyGpt.Config, seed: 9), TinyGpt.Tokenizer, new GptTextEmbedderOptions { Pooling = EmbeddingPooling.Mean });
            EmbedderPath = _folder.File("embedder.onnx");
            Embedder.ExportToOnnx(EmbedderPath);
        }

        public TextClassifier Classifier { get; }
        public string ClassifierPath { get; }
        public GptTextEmbedder Embedder { get; }
        public string EmbedderPath { get; }
        public string File(string name) => _folder.File(name);

        public void Dispose()
        {
            Classifier.Dispose();
            Embedder.Dispose();
            _folder.Dispose();
        }
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }

    private sealed class NumberRow
    {
        public float Text { get; set; }
    }

    private static readonly Row[] Rows =
    [
        new() { Text = "The jury said the election.", Label = "ham" },
        new() { Text = "Our mayor denied", Label = "spam" },
        new() { Text = "A report found a tax plan. The city voted.", Label = "other" },
        new() { Text = "", Label = "ham" },
    ];

    [Fact]
    public void Classifier_ScoresAsTorchSharp_WithKeyLabels_AndSavesAndLoads()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        var bad = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1 } });
        var model = EstimatorWorkout.Check(ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, "Text", sequenceLength: 12), data, (bad, "Text"));
        var scored = model.Transform(data);

        // Right-padded to 12, as the exported classifier expects; the TorchSharp classifier on each text alone.
        var scores = DataViewValues.Column<float>(scored, "Score");
        for (int row = 0; row < Rows.Length; row++)
        {
            var ids = TinyGpt.Tokenizer.EncodeToIds(Rows[row].Text).Take(12).Select(i => (long)i).ToArray();
            if (ids.Length == 0) continue; // a text with no token has no last token to pool
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var expected = Parity.Floats(_models.Classifier.forward(tensor(ids, [1, ids.Length]), ones(1, ids.Length, dtype: ScalarType.Int64)).softmax(-1));
            Parity.AssertClose(expected, scores[row], $"row {row} probabilities");
        }

        var withLabels = ml.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(scored).Transform(scored);
        var predicted = DataViewValues.Column<ReadOnlyMemory<char>>(withLabels, "PredictedText").Select(v => v[0].ToString()).ToList();
        Assert.Equal(scores.Select(s => Labels[Array.IndexOf(s, s.Max())]), predicted);
        Assert.DoesNotContain(scored.Schema, c => c.Name is "input_ids" or "attention_mask" or "probabilities");

        var keyed = ml.Transforms.Conversion.MapValueToKey("Label", keyData: ml.Data.LoadFromEnumerable(Labels.Select(l => new { Label = l })))
            .Fit(scored).Transform(scored);
        var metrics = ml.MulticlassClassification.Evaluate(keyed);
        Assert.Equal(predicted.Zip(Rows).Count(p => p.First == p.Second.Label) / (double)Rows.Length, metrics.MicroAccuracy, 6);
    }

    [Fact]
    public void PlainChain_WithAShapeDictionary_GivesTheSameScores()
    {
        // What ClassifyWithOnnx builds, written out. ApplyOnnxModel reads the symbolic batch axis as 1 and the symbolic
        // sequence axis as 0; without the shape dictionary it fails at the first row ("Length of memory (12) must match
        // product of dimensions (0)"), so the dictionary pins both inputs to (1, padded length).
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        using var onnx = MLNetLlm.Onnx.LlmOnnxModel.Open(_models.ClassifierPath);
        var plain = ml.Transforms.Llm.Tokenize(new MLNetLlm.Tokenization.TokenizeOptions
            {
                Tokenizer = onnx.Tokenizer, InputColumnName = "Text", PadToLength = 12,
                OutputColumnName = MLNetLlm.Onnx.LlmOnnxNames.InputIds, AttentionMaskColumnName = MLNetLlm.Onnx.LlmOnnxNames.AttentionMask,
            })
            .Append(ml.Transforms.ApplyOnnxModel(new Microsoft.ML.Transforms.Onnx.OnnxOptions
            {
                ModelFile = _models.ClassifierPath,
                InputColumns = [MLNetLlm.Onnx.LlmOnnxNames.InputIds, MLNetLlm.Onnx.LlmOnnxNames.AttentionMask],
                OutputColumns = [MLNetLlm.Onnx.LlmOnnxNames.Probabilities],
                ShapeDictionary = new Dictionary<string, int[]> { [MLNetLlm.Onnx.LlmOnnxNames.InputIds] = [1, 12], [MLNetLlm.Onnx.LlmOnnxNames.AttentionMask] = [1, 12] },
            }))
            .Append(ml.Transforms.Llm.MapProbabilitiesToLabel(onnx.Metadata.ClassLabels!))
            .Fit(data).Transform(data);
        var convenient = ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, sequenceLength: 12, scoring: new MLNetLlm.Onnx.OnnxScoringOptions { UseApplyOnnxModel = true }).Fit(data).Transform(data);
        Assert.Equal(DataViewValues.Column<float>(convenient, "Score"), DataViewValues.Column<float>(plain, "Score"));
        Assert.Equal(DataViewValues.Column<uint>(convenient, "PredictedLabel"), DataViewValues.Column<uint>(plain, "PredictedLabel"));
    }

    [Fact]
    public void Embedder_EmbedsAsTorchSharp_AndSavesAndLoads()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Rows);
        var model = EstimatorWorkout.Check(ml.Transforms.Llm.EmbedTextWithOnnx("Vector", _models.EmbedderPath, "Text", sequenceLength: 16), data);
        var vectors = DataViewValues.Column<float>(model.Transform(data), "Vector");
        var expected = _models.Embedder.Embed(Rows.Select(r => (string?)r.Text).ToArray());
        // The empty text too: both read it as the end-of-text token.
        for (int row = 0; row < Rows.Length; row++)
            Parity.AssertClose(expected[row], vectors[row], $"row {row} embedding");
    }

    [Fact]
    public void BadModels_AndLengths_AreRefused()
    {
        var ml = new MLContext();
        var kind = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.EmbedderPath));
        Assert.Contains("Embedder", kind.Message);
        Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.EmbedTextWithOnnx("Vector", _models.ClassifierPath));

        var length = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, sequenceLength: TinyGpt.Config.ContextLength + 1));
        Assert.Equal("sequenceLength", length.ParamName);

        var other = Tokenization.BpeTrainer.Train(["Another corpus, other merges."], new Tokenization.BpeTrainerOptions { VocabularySize = 300 });
        Assert.Contains("vocabulary differs", Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.ClassifyWithOnnx(_models.ClassifierPath, tokenizer: other)).Message);
    }
}
