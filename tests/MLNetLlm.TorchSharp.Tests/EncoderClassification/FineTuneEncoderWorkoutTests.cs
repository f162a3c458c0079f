using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Onnx;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Tests.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.EncoderClassification;

[Collection(TrainingCollection.Name)]
public class FineTuneEncoderWorkoutTests
{
    [Fact]
    public void Multiclass_Workout_SchemaBeforeFitIsAfter_EvaluatorReadsIt_SaveLoadGivesIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyEncoderClassification.Subject(24, seed: 1);
        var data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(ml.Data.LoadFromEnumerable(rows)).Transform(ml.Data.LoadFromEnumerable(rows));
        var estimator = ml.MulticlassClassification.Trainers.Llm.FineTuneEncoder(TinyEncoderClassification.Options(encoder));
        var noText = ml.Data.LoadFromEnumerable(new[] { new { Body = "the cat", Label = 1u } });
        var numericText = ml.Data.LoadFromEnumerable(new[] { new { Text = 1f, Label = 1u } });

        using var classifier = EstimatorWorkout.Check(estimator, data, (noText, "'Text'"), (numericText, "'Text'"));

        var scored = classifier.Transform(data);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 3), scored.Schema["Score"].Type);
        Assert.All(DataViewValues.Column<float>(scored, "Score"), p => Assert.Equal(1f, p.Sum(), 4));
        var metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.InRange(metrics.MicroAccuracy, 0, 1);
        Assert.False(classifier.IsBinary);
    }

    [Fact]
    public void Binary_Workout_SchemaBeforeFitIsAfter_EvaluatorReadsIt_SaveLoadGivesIdenticalScores()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(24, seed: 2));
        var estimator = ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(TinyEncoderClassification.Options(encoder, label: "IsCat"));
        var noText = ml.Data.LoadFromEnumerable(new[] { new { Body = "the cat", IsCat = true } });

        using var classifier = EstimatorWorkout.Check(estimator, data, (noText, "'Text'"));

        var scored = classifier.Transform(data);
        var metrics = ml.BinaryClassification.Evaluate(scored, labelColumnName: "IsCat");
        Assert.InRange(metrics.Accuracy, 0, 1);
        Assert.Equal(["False", "True"], classifier.ClassLabels);
    }

    [Fact]
    public void SameSeed_GivesBitIdenticalFineTunedScores()
    {
        float[][] Train()
        {
            var ml = new MLContext(seed: 1);
            using var encoder = TinyEncoderClassification.Encoder();
            var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(16, seed: 2));
            using var classifier = ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(TinyEncoderClassification.Options(encoder, label: "IsCat")).Fit(data);
            return [.. DataViewValues.Column<float>(classifier.Transform(data), "Score")];
        }

        Assert.Equal(Train(), Train());
    }

    [Fact]
    public void ExportedClassifier_ScoredByClassifyWithOnnx_MatchesTorchSharp_OnPaddedBatchesOfMixedLengths()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyEncoderClassification.Subject(24, seed: 1);
        var chain = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.Llm.FineTuneEncoder(TinyEncoderClassification.Options(encoder)))
            .Fit(ml.Data.LoadFromEnumerable(rows));
        using var classifier = chain.LastTransformer;
        using var folder = new TemporaryFolder();
        var path = folder.File("subject.onnx");

        var metadata = ml.Model.Llm.ExportOnnx(chain, path);
        Assert.Equal(LlmOnnxKind.Classifier, metadata.Kind);
        Assert.Equal(classifier.ClassLabels, metadata.ClassLabels);

        string[] texts = ["the cat", "a red dog is on the mat at night", "", "man", "cats and dogs sat on the blue mat"];
        var input = ml.Data.LoadFromEnumerable(texts.Select(t => new { Text = t }));
        var torch = DataViewValues.Column<float>(classifier.Transform(input), "Score").SelectMany(v => v).ToArray();
        var onnx = DataViewValues.Column<float>(ml.Transforms.Llm.ClassifyWithOnnx(path).Fit(input).Transform(input), "Score").SelectMany(v => v).ToArray();
        double diff = Parity.AssertClose(torch, onnx, "tiny encoder classifier, TorchSharp vs ONNX");
        Console.WriteLine($"tiny encoder classifier ONNX parity: max abs diff {diff:g3}");
    }

    [Fact]
    public void ExportedClassifier_ReadsTextsAsFarAsTheTrainedLength_KeepingTheFinalSep_LikeTorchSharp()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var options = TinyEncoderClassification.Options(encoder, label: "IsCat");
        options = options with { Training = options.Training with { MaxSequenceLength = 6 } };
        using var classifier = ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(options)
            .Fit(ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(16, seed: 2)));
        using var folder = new TemporaryFolder();
        var path = folder.File("short.onnx");

        var metadata = ml.Model.Llm.ExportOnnx(classifier, path);

        Assert.Equal(6, classifier.MaximumLength);
        Assert.Equal(6, metadata.ContextLength); // ClassifyWithOnnx pads and cuts to the trained length, not the 512 positions
        string[] texts = ["a red dog is on the mat at night and the cat is on the blue mat", "the cat", ""];
        var input = ml.Data.LoadFromEnumerable(texts.Select(t => new { Text = t }));
        var torch = DataViewValues.Column<float>(classifier.Transform(input), "Probability").SelectMany(v => v).ToArray();
        var onnx = DataViewValues.Column<float>(ml.Transforms.Llm.ClassifyWithOnnx(path).Fit(input).Transform(input), "Score").Select(p => p[1]).ToArray(); // P(True)
        Parity.AssertClose(torch, onnx, "a cut text, TorchSharp vs ONNX");
        Parity.AssertClose(torch, [.. texts.Select(t => classifier.PredictProbabilities(t)[1])], "one text at a time (unpadded) vs the padded batch");
        var tokenized = ml.Transforms.Llm.Tokenize(new() { Tokenizer = encoder.Tokenizer, PadToLength = 6 }).Fit(input).Transform(input);
        Assert.Equal(encoder.Tokenizer.EndOfTextId, (int)DataViewValues.Column<long>(tokenized, "Tokens")[0][5]); // [SEP] last
    }
}
