using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

/// <summary>The base models a classifier starts from: a GPT in memory (left unchanged), a checkpoint folder, the shipped model; and LoRA.</summary>
[Collection(TrainingCollection.Name)]
public class FineTuneGptBaseModelTests
{
    private readonly MLContext _ml = new(seed: 1);

    [Fact]
    public void BaseModelInMemory_IsCopied_AndLeftUnchanged()
    {
        using var baseModel = TinyClassification.BaseModel();
        var before = baseModel.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        using var classifier = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(TinyClassification.Options(baseModel, epochs: 1, label: "JuryFirst"))
            .Fit(TinyClassification.Data(_ml, TinyClassification.WordOrder(32, seed: 1)));

        foreach (var (name, parameter) in baseModel.Model.named_parameters())
            Assert.Equal(before[name], parameter.data<float>().ToArray());
        Assert.NotSame(baseModel.Model, classifier.Classifier.Backbone);
        Assert.Same(TinyGpt.Tokenizer, classifier.Tokenizer);
    }

    [Fact]
    public void BaseModelPath_CheckpointFolder_WithLoRA_TrainsMergesAndSavesAPlainGpt()
    {
        using var folder = new TemporaryDirectory();
        using (var baseModel = TinyClassification.BaseModel())
            GptCheckpoint.Save(baseModel.Model, folder.Path, TinyGpt.Tokenizer);
        var options = TinyClassification.Options(null!, epochs: 1, label: "JuryFirst") with { BaseModel = null, BaseModelPath = folder.Path };
        options = options with { Training = options.Training with { Parameters = FineTuneParameters.LoRA, LoraRank = 4 } };
        var data = TinyClassification.Data(_ml, TinyClassification.WordOrder(32, seed: 1));

        using var classifier = EstimatorWorkout.Check(_ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options), data);

        Assert.Null(classifier.Classifier.LoraSettings); // merged after training: plain GPT-2 parameter names for export
        Assert.Equal(TinyGpt.Tokenizer.EncodeToIds("the jury said"), classifier.Tokenizer!.EncodeToIds("the jury said"));
    }

    [Fact]
    public void ShippedModel_IsTheDefaultBase()
    {
        var rows = TinyClassification.WordOrder(8, seed: 1);
        var options = new FineTuneGptOptions
        {
            LabelColumnName = "JuryFirst",
            Seed = 1,
            Training = new ClassifierTrainingOptions { MaxSteps = 1, BatchSize = 4, Parameters = FineTuneParameters.Head },
        };
        using var classifier = _ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options).Fit(_ml.Data.LoadFromEnumerable(rows));

        Assert.Equal(GptPretrainingOptions.DefaultModel.ContextLength, classifier.MaximumLength);
        Assert.Equal(8000, classifier.Tokenizer!.VocabularySize);
        Assert.Single(classifier.Training!.History.Records);
        var probabilities = classifier.PredictProbabilities("the jury said the court");
        Assert.Equal(1f, probabilities.Sum(), 4);
    }
}
