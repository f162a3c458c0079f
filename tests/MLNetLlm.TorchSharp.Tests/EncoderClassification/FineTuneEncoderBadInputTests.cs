using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Tests.Encoders;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.EncoderClassification;

[Collection(TrainingCollection.Name)]
public class FineTuneEncoderBadInputTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void BaseModelPath_ThatIsNotAnEncoder_FailsAtFitNamingThePath()
    {
        using var folder = new TemporaryFolder();
        var gpt = Directory.CreateDirectory(folder.File("gpt2")).FullName;
        File.WriteAllText(Path.Combine(gpt, "config.json"), """{"model_type": "gpt2", "n_embd": 32, "n_layer": 2, "n_head": 2, "vocab_size": 100, "n_positions": 64}""");
        File.WriteAllText(folder.File("garbage.onnx"), "not a model");
        var onnxAlone = Directory.CreateDirectory(folder.File("alone")).FullName;
        File.WriteAllBytes(Path.Combine(onnxAlone, "model.onnx"), BundledFiles.MiniLmL6V2().Model);
        var data = _ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(8, seed: 1));

        foreach (var path in new[] { gpt, folder.File("garbage.onnx"), Path.Combine(onnxAlone, "model.onnx"), folder.File("missing") })
        {
            var estimator = _ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(new FineTuneEncoderOptions { BaseModelPath = path, LabelColumnName = "IsCat" });
            var error = Assert.ThrowsAny<Exception>(() => estimator.Fit(data).Dispose());
            Assert.True(error is InvalidDataException or FileNotFoundException or DirectoryNotFoundException or ArgumentException, $"{path}: {error}");
            Assert.Contains(Path.GetFileName(path), error.Message);
        }
    }

    [Fact]
    public void BaseModelPathAndBaseEncoder_BothSet_AreRefused()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var options = TinyEncoderClassification.Options(encoder) with { BaseModelPath = "somewhere" };
        Assert.Contains("not both", Assert.Throws<ArgumentException>(() => _ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(options)).Message);
    }

    [Fact]
    public void ATokenizerOfAnotherVocabulary_IsRefused()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var data = _ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(8, seed: 1));
        var options = TinyEncoderClassification.Options(encoder, label: "IsCat") with { Tokenizer = LlmTokenizers.Gpt2() };
        var error = Assert.ThrowsAny<Exception>(() => _ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(options).Fit(data).Dispose());
        Assert.True(error is ArgumentException or InvalidOperationException, error.ToString());
        Assert.Contains("okenizer", error.Message);
    }

    [Fact]
    public void LongTexts_KeepTheirFirstTokens_AndAreCounted_EmptyTextScores()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        var rows = TinyEncoderClassification.Subject(8, seed: 1);
        rows.Add(new TinyEncoderClassification.SubjectRow { Text = string.Join(" ", Enumerable.Repeat("the cat sat on the mat", 20)), IsCat = true });
        rows.Add(new TinyEncoderClassification.SubjectRow { Text = "", IsCat = false });
        var data = _ml.Data.LoadFromEnumerable(rows);

        using var classifier = _ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(TinyEncoderClassification.Options(encoder, label: "IsCat")).Fit(data);

        Assert.Equal(1, classifier.Training!.TruncatedRows);
        var scores = DataViewValues.Column<float>(classifier.Transform(data), "Score").Select(v => v[0]).ToArray();
        Assert.All(scores, s => Assert.True(float.IsFinite(s)));
        var empty = _ml.Data.LoadFromEnumerable(new[] { new { Text = "" }, new { Text = (string)null! } });
        Assert.All(DataViewValues.Column<float>(classifier.Transform(empty), "Score"), s => Assert.True(float.IsFinite(s[0])));
    }

    [Fact]
    public void ValidationSet_WithALabelTheTrainingNeverSaw_FailsNamingIt()
    {
        using var encoder = TinyEncoderClassification.Encoder();
        // Each set mapped by its own MapValueToKey: the validation set's key has a class ("man") the training's has not.
        var rows = _ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(12, seed: 1).Where(r => r.Label != "man"));
        var train = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows);
        var all = _ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(12, seed: 1));
        var validation = _ml.Transforms.Conversion.MapValueToKey("Label").Fit(all).Transform(all);
        var options = TinyEncoderClassification.Options(encoder) with { ValidationSet = validation };

        var error = Assert.ThrowsAny<Exception>(() => _ml.MulticlassClassification.Trainers.Llm.FineTuneEncoder(options).Fit(train).Dispose());
        Assert.True(error is ArgumentException or InvalidDataException, error.ToString());
        Assert.StartsWith("FineTuneEncoder: the ValidationSet", error.Message);
        Assert.Contains("never seen in training: 'man'", error.Message);
    }
}
