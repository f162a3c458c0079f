using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using Microsoft.ML;
using Xunit;

namespace MLNetLlm.TorchSharp.Tests.Instructions;

public sealed class TunePreferencesTests
{
    private static readonly string[] Words = ["court", "city", "board", "vote", "budget", "records"];

    private static List<TinyInstructions.PairRow> Pairs() =>
        [.. TinyInstructions.Rows(1).Select((r, i) => new TinyInstructions.PairRow { Instruction = r.Instruction, Input = r.Input, Chosen = r.Output, Rejected = Words[(i + 1) % Words.Length] })];

    private static InstructionTransformer Tuned(MLContext ml, GptTransformer baseModel) =>
        ml.Transforms.Llm.FineTuneInstructions(TinyInstructions.Options(baseModel, epochs: 1)).Fit(TinyInstructions.Data(ml));

    [Fact]
    public void DpoRaisesTheRewardAccuracyOfThePairsItTrainsOn()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyInstructions.BaseModel();
        using var tuned = Tuned(ml, baseModel);
        var pairs = ml.Data.LoadFromEnumerable(Pairs());
        var options = new PreferenceTuningOptions { Parameters = InstructionParameters.All, MaxEpochs = 10, BatchSize = 3, LearningRate = 5e-3, MinLearningRate = 5e-4, WarmupSteps = 1, Beta = 0.5, ValidationSet = pairs, RestoreBestWeights = false };
        using var aligned = ml.Transforms.Llm.TunePreferences(tuned, options).Fit(pairs);

        var report = aligned.Preferences!;
        Assert.Equal(0, report.ValidationBefore!.RewardAccuracy); // policy = reference: every reward is 0
        Assert.True(report.ValidationAfter!.RewardAccuracy > 0.8, $"reward accuracy {report.ValidationAfter.RewardAccuracy}");
        Assert.True(report.ValidationAfter.Loss < report.ValidationBefore.Loss);
        var again = PreferenceEvaluation.Evaluate(aligned, tuned, pairs, options);
        Assert.Equal(report.ValidationAfter.RewardAccuracy, again.RewardAccuracy);
    }

    [Fact]
    public void AChosenEqualToTheRejectedNamesTheRow()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyInstructions.BaseModel();
        using var tuned = Tuned(ml, baseModel);
        var rows = Pairs();
        rows[1].Rejected = rows[1].Chosen;
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.TunePreferences(tuned).Fit(ml.Data.LoadFromEnumerable(rows)));
        Assert.Contains("Row 2 has the same chosen and rejected response", error.Message);
    }

    [Fact]
    public void AReferenceOfAnotherShapeIsRefusedBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyInstructions.BaseModel();
        using var tuned = Tuned(ml, baseModel);
        using var other = InstructionTransformer.Wrap(GptTransformer.Own(new GptModel(TinyInstructions.Config with { Layers = 1 }, seed: 1), TinyGpt.Tokenizer, new GptTransformerOptions()), TinyInstructions.Template);
        var error = Assert.Throws<ArgumentException>(() => ml.Transforms.Llm.TunePreferences(tuned, new PreferenceTuningOptions { Reference = other }).Fit(ml.Data.LoadFromEnumerable(Pairs())));
        Assert.Contains("another shape", error.Message);
    }
}
