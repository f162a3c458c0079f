using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Xunit;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Instructions;

public sealed class InstructionCollationTests
{
    private const long X = ITokenWindowSource.IgnoredTarget;

    // A: prompt 1 2, response 3 4, end-of-text 9. B: prompt 5, response 6, end-of-text 9.
    private static readonly InstructionExample A = new([1, 2, 3, 4, 9], PromptTokens: 2);
    private static readonly InstructionExample B = new([5, 6, 9], PromptTokens: 1);

    [Fact]
    public void InputsArePaddedWithEndOfTextAndOnlyTheFirstEndOfTextIsATarget()
    {
        var batch = InstructionCollator.Collate([A, B], padId: 9, maskPrompt: false);
        Assert.Equal((2, 4), (batch.Rows, batch.Length));
        Assert.Equal([1, 2, 3, 4, 5, 6, 9, 9], batch.Inputs);
        Assert.Equal([2, 3, 4, 9, 6, 9, X, X], batch.Targets);
    }

    [Fact]
    public void MaskingThePromptIgnoresEveryTargetThatIsAPromptToken()
    {
        var batch = InstructionCollator.Collate([A, B], padId: 9, maskPrompt: true);
        Assert.Equal([1, 2, 3, 4, 5, 6, 9, 9], batch.Inputs);
        Assert.Equal([X, 3, 4, 9, 6, 9, X, X], batch.Targets);
    }

    [Fact]
    public void TheLossIsTheMeanCrossEntropyOfTheResponseTokensOnly()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(TinyGpt.Config, seed: 2);
        var batch = InstructionCollator.Collate([A, B], padId: 9, maskPrompt: true);
        var inputs = tensor(batch.Inputs, [2, 4]);
        var targets = tensor(batch.Targets, [2, 4]);
        double loss = GptLoss.Mean(model, inputs, targets).item<float>();

        var logProbabilities = nn.functional.log_softmax(model.forward(inputs), -1);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < batch.Targets.Length; i++)
        {
            if (batch.Targets[i] == X) continue;
            sum -= logProbabilities[i / 4, i % 4, batch.Targets[i]].item<float>();
            count++;
        }
        Assert.Equal(5, count); // 3 4 end-of-text of A, 6 end-of-text of B
        Assert.Equal(sum / count, loss, 4);
    }
}
