using MLNetLlm.Generation;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Instructions;

/// <summary>The shipped brown-gpt-instruct adapters: they load onto the shipped brown-gpt and make it answer and stop,
/// where the untuned model runs on to its token cap.</summary>
public class ShippedInstructModelTests
{
    private static readonly (string Instruction, string? Input)[] Prompts =
        [("Give a synonym of the word.", "happy"), ("What kind of thing is it?", "oak"), ("Define the word.", "river (noun)")];

    [Fact]
    public void LoadBrownInstruct_AnswersAndStops_WhereTheUntunedModelDoesNot()
    {
        var options = new GenerationOptions { Greedy = true, MaxNewTokens = 48 };
        using var tuned = GptModels.LoadBrownInstruct();
        using var untuned = InstructionTransformer.Wrap(GptModels.LoadBrown(new GptTransformerOptions { TextColumnName = null, PromptColumnName = "Prompt" }));
        var tokenizer = tuned.Gpt.Tokenizer!;
        var answers = tuned.Answer(Prompts, options);
        var untunedAnswers = untuned.Answer(Prompts, options);
        Assert.All(answers, a => Assert.False(string.IsNullOrWhiteSpace(a)));
        Assert.All(answers, a => Assert.True(tokenizer.EncodeToIds(a).Count < 40, $"'{a}' ran to the token cap"));
        Assert.Contains(untunedAnswers, a => tokenizer.EncodeToIds(a).Count >= 40);
    }
}
