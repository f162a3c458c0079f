using MLNetLlm.Prompting;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit;

namespace MLNetLlm.TorchSharp.Tests.Instructions;

public sealed class FineTuneInstructionsTests
{
    [Fact]
    public void ATinyGptLearnsATinyInstructionSetAndTheSameSeedGivesTheSameRun()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyInstructions.BaseModel();
        var options = TinyInstructions.Options(baseModel, epochs: 12) with { ValidationSet = TinyInstructions.Data(ml, TinyInstructions.Rows(1)) };
        using var first = ml.Transforms.Llm.FineTuneInstructions(options).Fit(TinyInstructions.Data(ml));
        using var second = ml.Transforms.Llm.FineTuneInstructions(options).Fit(TinyInstructions.Data(ml));

        var report = first.Training!;
        Assert.Equal(24, report.TrainingExamples);
        Assert.Equal(0, report.Truncated + report.Skipped);
        Assert.True(report.ValidationLossAfter < 0.5 * report.ValidationLossBefore, $"response loss {report.ValidationLossBefore} → {report.ValidationLossAfter}");
        Assert.Equal(first.Training!.History.Records.Select(r => r.TrainLoss), second.Training!.History.Records.Select(r => r.TrainLoss));
        Assert.Equal("court", first.Answer("Pair the word.", "jury"));
    }

    [Fact]
    public void LoraTrainsOnlyAdaptersAndLeavesAPlainGptBehindWithTheBaseUnchanged()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyInstructions.BaseModel();
        var before = baseModel.Model.named_parameters().ToDictionary(p => p.name, p => p.parameter.data<float>().ToArray());
        using var tuned = ml.Transforms.Llm.FineTuneInstructions(TinyInstructions.Options(baseModel, InstructionParameters.LoRA, epochs: 2)).Fit(TinyInstructions.Data(ml));

        Assert.Null(Lora.SettingsOf(tuned.Gpt.Model));
        Assert.Equal(before.Keys.Order(), tuned.Gpt.Model.named_parameters().Select(p => p.name).Order());
        Assert.All(baseModel.Model.named_parameters(), p => Assert.Equal(before[p.name], p.parameter.data<float>().ToArray()));
        Assert.Contains(tuned.Gpt.Model.named_parameters(), p => !before[p.name].SequenceEqual(p.parameter.data<float>().ToArray()));
        Assert.True(tuned.Training!.TrainedParameters < baseModel.Model.ParameterCount / 2, $"{tuned.Training.TrainedParameters} trained of {baseModel.Model.ParameterCount}");
    }

    [Fact]
    public void TheTransformerAnswersAColumnAndSavesAndLoadsWithABuiltInTemplate()
    {
        var ml = new MLContext(seed: 1);
        var data = TinyInstructions.Data(ml, TinyInstructions.Rows(1));
        var gpt = GptTransformer.Own(new GptModel(TinyInstructions.Config with { ContextLength = 128 }, seed: 3), TinyGpt.Tokenizer, new GptTransformerOptions());
        using var model = InstructionTransformer.Wrap(gpt, PromptTemplates.ChatMl, generation: new MLNetLlm.Generation.GenerationOptions { Greedy = true, MaxNewTokens = 3 });
        var expected = ml.Data.CreateEnumerable<Answered>(model.Transform(data), reuseRowObject: false).Select(r => r.Response).ToList();
        Assert.Equal(model.Answer("Pair the word.", "jury"), expected[0]);

        var path = Path.Combine(Directory.CreateTempSubdirectory("mlnetllm-instruct-").FullName, "model.zip");
        ml.Model.Llm.Save(model, data.Schema, path);
        var loaded = new MLContext(seed: 2).Model.Llm.Load(path, out _);
        var actual = ml.Data.CreateEnumerable<Answered>(loaded.Transform(data), reuseRowObject: false).Select(r => r.Response).ToList();
        (loaded as IDisposable)?.Dispose();
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void AUserDefinedTemplateIsRefusedAtSaveAndNothingIsWritten()
    {
        var ml = new MLContext(seed: 1);
        var data = TinyInstructions.Data(ml, TinyInstructions.Rows(1));
        using var model = InstructionTransformer.Wrap(TinyInstructions.BaseModel(), TinyInstructions.Template);
        var path = Path.Combine(Directory.CreateTempSubdirectory("mlnetllm-instruct-").FullName, "model.zip");
        Assert.Throws<NotSupportedException>(() => ml.Model.Llm.Save(model, data.Schema, path));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void TheSchemaIsCheckedBeforeTrainingAndNamesTheMissingColumn()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyInstructions.BaseModel();
        var estimator = ml.Transforms.Llm.FineTuneInstructions(TinyInstructions.Options(baseModel) with { OutputColumnName = "Answer" });
        var data = TinyInstructions.Data(ml);
        Assert.Contains("Answer", Assert.ThrowsAny<ArgumentException>(() => estimator.GetOutputSchema(EstimatorWorkout.ShapeOf(data.Schema))).Message);
        Assert.Contains("Answer", Assert.ThrowsAny<ArgumentException>(() => estimator.Fit(data)).Message);
        var shape = ml.Transforms.Llm.FineTuneInstructions(TinyInstructions.Options(baseModel)).GetOutputSchema(EstimatorWorkout.ShapeOf(data.Schema));
        Assert.Contains(shape, column => column.Name == "Response" && column.ItemType is TextDataViewType);
    }

    [Fact]
    public void ATemplateWithoutAResponseSlotIsRefusedByTheTemplate() =>
        Assert.Contains("{response}", Assert.Throws<ArgumentException>(() => PromptTemplates.FromFormat("Q: {instruction}\nA:")).Message);

    [Fact]
    public void WhenNoExampleFitsTheFitSaysSoAndCountsThem()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyInstructions.BaseModel();
        var options = TinyInstructions.Options(baseModel) with { MaxLength = 3, TooLong = TooLongExamples.Skip };
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.FineTuneInstructions(options).Fit(TinyInstructions.Data(ml)));
        Assert.Contains("None of the 24 training examples fits in 3 tokens", error.Message);
    }

    public sealed class Answered
    {
        public string Response { get; set; } = "";
    }
}
