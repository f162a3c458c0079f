using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.FineTuning;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.Llama;

/// <summary>Classifier fine-tuning started from a Hugging Face Llama-family folder, through the shared backbone.</summary>
[Collection(TrainingCollection.Name)]
public class LlamaClassifierTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Theory]
    [InlineData("qwen3", FineTuneParameters.LoRA)]
    [InlineData("llama", FineTuneParameters.All)]
    public void A_llama_family_folder_fine_tunes_saves_and_loads_as_a_classifier(string modelType, FineTuneParameters parameters)
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama(modelType).WriteTo(folder.Path);
        var options = TinyClassification.Options(null!, epochs: 1, label: "JuryFirst") with { BaseModel = null, BaseModelPath = folder.Path };
        options = options with { Training = options.Training with { Parameters = parameters, LoraRank = 4 } };
        var data = TinyClassification.Data(_ml, TinyClassification.WordOrder(32, seed: 1));

        using var classifier = EstimatorWorkout.Check(_ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options), data);

        Assert.Equal(BackboneFamily.Llama, classifier.Classifier.Backbone.Family);
        Assert.Null(classifier.Classifier.LoraSettings);
        Assert.Equal(TinyTokenizerJson.EndOfText, classifier.Tokenizer!.EndOfTextId);
    }
}
