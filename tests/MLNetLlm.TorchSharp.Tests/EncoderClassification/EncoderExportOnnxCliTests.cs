using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;
using MLNetLlm.Onnx;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Tests.Onnx;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;

namespace MLNetLlm.TorchSharp.Tests.EncoderClassification;

[Collection(TrainingCollection.Name)]
public class EncoderExportOnnxCliTests
{
    [Fact]
    public async Task ExportOnnxCli_OfASavedEncoderClassifierPipeline_WritesAClassifierThatScoresLikeIt()
    {
        var ml = new MLContext(seed: 1);
        using var encoder = TinyEncoderClassification.Encoder();
        var data = ml.Data.LoadFromEnumerable(TinyEncoderClassification.Subject(16, seed: 2));
        using var classifier = ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(TinyEncoderClassification.Options(encoder, label: "IsCat")).Fit(data);
        using var folder = new TemporaryFolder();
        ml.Model.Llm.Save(classifier, data.Schema, folder.File("cat.zip"));

        var output = new StringWriter();
        var error = new StringWriter();
        int code = await MLNetLlm.Cli.CliApp.RunAsync(["export-onnx", "-m", folder.File("cat.zip"), "-k", "classifier", "-o", folder.File("cat.onnx")], output, error);

        Assert.True(code == 0, error.ToString());
        Assert.Contains("out probabilities: float [batch, 2]", output.ToString());
        string[] texts = ["the cat", "a dog is on the mat at night", ""];
        var input = ml.Data.LoadFromEnumerable(texts.Select(t => new { Text = t }));
        var torch = DataViewValues.Column<float>(classifier.Transform(input), "Probability").Select(v => v[0]).ToArray();
        var onnx = DataViewValues.Column<float>(ml.Transforms.Llm.ClassifyWithOnnx(folder.File("cat.onnx")).Fit(input).Transform(input), "Score")
            .Select(v => v[1]).ToArray(); // the probability of "True"
        Parity.AssertClose(torch, onnx, "encoder classifier exported by the CLI");
    }
}
