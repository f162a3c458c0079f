using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Onnx;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Tests.EncoderClassification;
using MLNetLlm.TorchSharp.Tests.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.EmbeddingTraining;

[Collection(TrainingCollection.Name)]
public class TrainSentenceEmbedderTests
{
    private static readonly string[] Probe = ["the cat is red", "a dog ran fast", "", "music and book", "the sky at night"];

    [Fact]
    public void MultipleNegativesRanking_LowersTheLoss_AndLeavesTheBaseEncoderUnchanged()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var before = encoder.Embed(Probe);
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(24, seed: 1));

        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, epochs: 8)).Fit(data);

        var losses = trained.Report!.EpochLosses;
        Assert.Equal(8, losses.Count);
        Assert.True(losses[^1] < 0.7 * losses[0], $"loss per epoch: {string.Join(", ", losses)}");
        Assert.Equal(before, encoder.Embed(Probe));
        Assert.NotEqual(before, trained.Encoder.Embed(Probe));
        Assert.Equal(24, trained.Report.TrainingPairs);
    }

    [Fact]
    public void CosineSimilarity_WithHardNegatives_LowersTheLoss()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(24, seed: 2));
        var options = TinyPairs.Options(encoder, epochs: 8, loss: SentenceEmbeddingLoss.CosineSimilarity) with { NegativeColumnName = "Negative" };

        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(data);

        Assert.Equal(48, trained.Report!.TrainingPairs); // (anchor, positive, 1) and (anchor, negative, 0)
        var losses = trained.Report.EpochLosses;
        Assert.True(losses[^1] < 0.7 * losses[0], $"loss per epoch: {string.Join(", ", losses)}");
    }

    [Fact]
    public void PairsFromLabels_TrainWithBothLosses()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(12, seed: 1));
        foreach (var loss in new[] { SentenceEmbeddingLoss.CosineSimilarity, SentenceEmbeddingLoss.MultipleNegativesRanking })
        {
            var options = TinyPairs.Options(encoder, epochs: 1, loss: loss) with { LabelColumnName = "Label", TextColumnName = "Text", PairIterations = 2 };
            using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(data);
            Assert.Equal(loss == SentenceEmbeddingLoss.CosineSimilarity ? 48 : 24, trained.Report!.TrainingPairs);
            Assert.Equal("Text", trained.InputColumnName);
        }
    }

    [Fact]
    public void Workout_SchemaBeforeFitIsAfter_BadInputFailsClearly_SaveLoadGivesIdenticalVectors()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(12, seed: 1));
        var estimator = ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, epochs: 1));
        var noAnchor = ml.Data.LoadFromEnumerable(new[] { new { Query = "the cat", Positive = "a cat" } });
        var numericAnchor = ml.Data.LoadFromEnumerable(new[] { new { Anchor = 1f, Positive = "a cat" } });

        using var trained = EstimatorWorkout.Check(estimator, data, (noAnchor, "'Anchor'"), (numericAnchor, "'Anchor'"));

        var vectors = DataViewValues.Column<float>(trained.Transform(data), "Embedding");
        Assert.All(vectors, v => Assert.Equal(1f, (float)Math.Sqrt(v.Sum(x => x * x)), 4));
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 32), trained.Transform(data).Schema["Embedding"].Type);
    }

    [Fact]
    public void SavedAndLoaded_InAFreshContext_IsATrainedEmbedderAgain_WithIdenticalVectors()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(12, seed: 1));
        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, epochs: 1)).Fit(data);
        using var folder = new TemporaryFolder();
        var path = folder.File("embedder.zip");

        ml.Model.Llm.Save(trained, data.Schema, path);
        var loaded = new MLContext(seed: 5).Model.Llm.Load(path, out _);

        var reloaded = Assert.IsType<SentenceEmbedderTransformer>(Assert.Single((IEnumerable<ITransformer>)loaded));
        Assert.Null(reloaded.Report);
        Assert.Equal(trained.Encoder.Embed(Probe), reloaded.Encoder.Embed(Probe));
        reloaded.Dispose();
    }

    [Fact]
    public void SameSeed_GivesIdenticalVectors()
    {
        float[][] Train()
        {
            var ml = new MLContext(seed: 1);
            using var encoder = TinyEncoderClassification.Encoder();
            var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(12, seed: 1));
            using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, epochs: 2)).Fit(data);
            return trained.Encoder.Embed(Probe);
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void ExportedTrainedEmbedder_ScoredByEmbedTextWithOnnx_MatchesTorchSharp()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(12, seed: 1));
        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, epochs: 2)).Fit(data);
        using var folder = new TemporaryFolder();
        var path = folder.File("trained.onnx");

        var metadata = ml.Model.Llm.ExportOnnx(trained, path);

        Assert.Equal(LlmOnnxKind.Embedder, metadata.Kind);
        var input = ml.Data.LoadFromEnumerable(Probe.Select(t => new { Text = t }));
        var torch = trained.Encoder.Embed(Probe).SelectMany(v => v).ToArray();
        var onnx = DataViewValues.Column<float>(ml.Transforms.Llm.EmbedTextWithOnnx("Embedding", path).Fit(input).Transform(input), "Embedding").SelectMany(v => v).ToArray();
        Parity.AssertClose(torch, onnx, "trained tiny embedder, TorchSharp vs ONNX", tolerance: 1e-4);
    }

    [Fact]
    public void LiveTensorCount_StaysFlatOverTraining()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(24, seed: 1));
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var live = new List<long>();
        var options = TinyPairs.Options(encoder, epochs: 6) with
        {
            Progress = new SyncProgress<TrainingProgress>(_ => live.Add(statistics.ThreadTotalLiveCount)),
            ValidationSet = ml.Data.LoadFromEnumerable(TinyPairs.Rows(6, seed: 9)),
        };
        // Evaluating every step: the best-weight copy exists from the first step on, so only a leak could change the count.
        options = options with { Training = options.Training with { EvaluateEveryNSteps = 1 } };

        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(data);

        Assert.Equal(24, live.Count);
        Assert.All(live, count => Assert.Equal(live[0], count));
    }

    [Fact]
    public void ValidationSet_WithPatience_StopsEarlyAndKeepsTheBestWeights()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(24, seed: 1));
        var options = TinyPairs.Options(encoder, epochs: 40) with
        {
            ValidationSet = ml.Data.LoadFromEnumerable(TinyPairs.Rows(8, seed: 7)),
            Training = TinyPairs.Options(encoder).Training with { MaxEpochs = 40, LearningRate = 2e-2, MinLearningRate = 2e-2, EvaluateEveryNSteps = 1, EarlyStoppingPatience = 3 },
        };

        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(data);

        var history = trained.Report!.History;
        Assert.Equal(StopReason.EarlyStopped, history.StopReason);
        Assert.True(history.Records.Count < 40 * 4);
        Assert.Equal(8, trained.Report.ValidationPairs);
    }

    [Fact]
    public void FlatOverload_StartsFromMiniLm_AndEmbedsItsDimension()
    {
        var ml = new MLContext(seed: 1);
        var rows = new[]
        {
            new { Question = "how do I reset my password", Answer = "open settings and choose reset password" },
            new { Question = "where is the train station", Answer = "the station is two streets north" },
            new { Question = "what time does the shop open", Answer = "the shop opens at nine" },
            new { Question = "how cold is it today", Answer = "it is five degrees outside" },
        };
        var data = ml.Data.LoadFromEnumerable(rows);

        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder("Vector", "Question", "Answer", batchSize: 4).Fit(data);

        Assert.Equal(384, trained.Encoder.Dimension);
        Assert.Contains("all-MiniLM-L6-v2", trained.Encoder.Name);
        Assert.Single(trained.Report!.History.Records);
        Assert.All(DataViewValues.Column<float>(trained.Transform(data), "Vector"), v => Assert.Equal(384, v.Length));
    }

    [Fact]
    public void ACancelledRun_ResumedFromItsCheckpoint_EndsWithTheUninterruptedRunsVectors()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(24, seed: 1));
        var options = TinyPairs.Options(encoder, epochs: 2); // 8 steps of 6 pairs
        using var uninterrupted = ml.Transforms.Llm.TrainSentenceEmbedder(options).Fit(data);
        using var folder = new TemporaryFolder();
        using var cancellation = new CancellationTokenSource();
        var interrupted = options with
        {
            Training = options.Training with { CheckpointDirectory = folder.Path, CheckpointEveryNSteps = 1 },
            Progress = new SyncProgress<TrainingProgress>(p => { if (p.Step == 5) cancellation.Cancel(); }),
            CancellationToken = cancellation.Token,
        };

        Assert.Throws<OperationCanceledException>(() => ml.Transforms.Llm.TrainSentenceEmbedder(interrupted).Fit(data));
        using var resumed = ml.Transforms.Llm.TrainSentenceEmbedder(options with { Training = options.Training with { ResumeFrom = folder.Path } }).Fit(data);

        Assert.Equal(uninterrupted.Report!.History.Records.Select(r => r.TrainLoss), resumed.Report!.History.Records.Select(r => r.TrainLoss));
        Assert.Equal(uninterrupted.Encoder.Embed(Probe), resumed.Encoder.Embed(Probe));
    }

    [Fact]
    public void BaseModelPath_StartsFromAHuggingFaceFolder_AndLeavesItUnchanged()
    {
        var ml = new MLContext(seed: 1);
        using var folder = new TemporaryFolder();
        using (var model = Encoders.TinyBert.Model(seed: 4))
            Encoders.TinyBert.WriteFolder(model, folder.Path);
        var weights = File.ReadAllBytes(Path.Combine(folder.Path, "model.safetensors"));
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(12, seed: 1));

        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(null!, epochs: 1) with { BaseEncoder = null, BaseModelPath = folder.Path }).Fit(data);

        Assert.Equal(32, trained.Encoder.Dimension);
        Assert.Equal(weights, File.ReadAllBytes(Path.Combine(folder.Path, "model.safetensors")));
    }

    [Fact]
    public void AClsPooledBase_KeepsItsPoolingLengthAndTokenizer()
    {
        var ml = new MLContext(seed: 1);
        using var folder = new TemporaryFolder();
        using (var model = Encoders.TinyBert.Model(seed: 4))
            Encoders.TinyBert.WriteFolder(model, folder.Path);
        using var encoder = MLNetLlm.TorchSharp.Embeddings.PretrainedEncoders.FromHuggingFace(folder.Path, MLNetLlm.Embeddings.EmbeddingPooling.FirstToken, maxTokens: 12);
        var data = ml.Data.LoadFromEnumerable(TinyPairs.Rows(12, seed: 1));

        using var trained = ml.Transforms.Llm.TrainSentenceEmbedder(TinyPairs.Options(encoder, epochs: 1)).Fit(data);

        Assert.Equal(MLNetLlm.Embeddings.EmbeddingPooling.FirstToken, trained.Encoder.Pooling);
        Assert.Equal(12, trained.Encoder.MaxTokens);
        Assert.Same(encoder.Tokenizer, trained.Encoder.Tokenizer);
    }
}
