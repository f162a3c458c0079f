using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Xunit;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Instructions;

public sealed class DpoLossTests
{
    [Fact]
    public void TheLossAndRewardsMatchAHandComputation()
    {
        using var scope = NewDisposeScope();
        var (loss, chosen, rejected) = DpoLoss.Compute(tensor(new[] { -1.0f, -2.0f }), tensor(new[] { -1.5f, -1.0f }),
            tensor(new[] { -1.2f, -1.8f }), tensor(new[] { -1.4f, -1.1f }), beta: 0.1);
        // pair 1: ((−1 + 1.5) − (−1.2 + 1.4))·0.1 = 0.03; pair 2: ((−2 + 1) − (−1.8 + 1.1))·0.1 = −0.03.
        double expected = (Math.Log(1 + Math.Exp(-0.03)) + Math.Log(1 + Math.Exp(0.03))) / 2;
        Assert.Equal(expected, loss.item<float>(), 5);
        Assert.Equal([0.02f, -0.02f], chosen.data<float>().ToArray().Select(v => (float)Math.Round(v, 5)));
        Assert.Equal([-0.01f, 0.01f], rejected.data<float>().ToArray().Select(v => (float)Math.Round(v, 5)));

        var metrics = PreferenceScoring.Metrics([-1.0, -2.0], [-1.5, -1.0], [-1.2, -1.8], [-1.4, -1.1], 0.1);
        Assert.Equal(expected, metrics.Loss, 9);
        Assert.Equal(0.5, metrics.RewardAccuracy);   // 0.02 > −0.01, −0.02 < 0.01
        Assert.Equal(0.0, metrics.RewardMargin, 9);  // (0.03 − 0.03) / 2
        Assert.Equal(0.5, metrics.PolicyPreference); // −1 > −1.5, −2 < −1
    }

    [Fact]
    public void AResponseLogProbabilityIsTheMeanOverItsLearnedTokensOnly()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(TinyGpt.Config, seed: 4);
        var batch = InstructionCollator.Collate([new InstructionExample([1, 2, 3, 4, 9], 2), new InstructionExample([5, 6, 9], 1)], 9, maskPrompt: true);
        var inputs = tensor(batch.Inputs, [2, 4]);
        var targets = tensor(batch.Targets, [2, 4]);
        var values = DpoLoss.ResponseLogProbabilities(model, inputs, targets).data<float>().ToArray();
        var logProbabilities = nn.functional.log_softmax(model.forward(inputs), -1);
        double Row(int row) => Enumerable.Range(0, 4).Where(t => batch.Targets[row * 4 + t] != ITokenWindowSource.IgnoredTarget)
            .Average(t => logProbabilities[row, t, batch.Targets[row * 4 + t]].item<float>());
        Assert.Equal(Row(0), values[0], 4);
        Assert.Equal(Row(1), values[1], 4);
    }

    [Fact]
    public void AReferenceOfAnotherShapeIsRefused()
    {
        using var policy = new GptModel(TinyInstructions.Config, seed: 1);
        using var reference = new GptModel(TinyInstructions.Config with { Layers = 1 }, seed: 1);
        var pair = new PreferenceExample(new InstructionExample([1, 2, 9], 1), new InstructionExample([1, 3, 9], 1));
        var error = Assert.Throws<ArgumentException>(() => new DpoTask(policy, reference, [pair], null, new PreferenceTuningOptions(), 9, "All"));
        Assert.Contains("another shape", error.Message);
    }
}
