using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Pretraining;

public class ShippedModelTests
{
    [Fact]
    public void BrownGpt_LoadsWithOneCall_AndPrefersEnglishWordOrder()
    {
        using var gpt = GptModels.LoadBrown();
        Assert.Equal(8000, gpt.Model.Config.VocabularySize);
        Assert.Equal(8000, gpt.Tokenizer!.VocabularySize);
        Assert.InRange(gpt.Model.ParameterCount, 2_000_000, 8_000_000);

        var ml = new MLContext(seed: 1);
        const string sentence = "The jury said that the city was not able to pay for the new school.";
        var reversed = string.Join(' ', sentence.TrimEnd('.').Split(' ').Reverse()) + ".";
        var data = ml.Data.LoadFromEnumerable(new[] { new TinyGpt.Doc { Text = sentence }, new TinyGpt.Doc { Text = reversed } });
        var perplexities = DataViewValues.Column<float>(gpt.Transform(data), "Perplexity");
        Assert.True(perplexities[0][0] * 2 < perplexities[1][0], $"in order {perplexities[0][0]}, reversed {perplexities[1][0]}");
        Assert.False(string.IsNullOrWhiteSpace(gpt.Generate("The jury said", maxNewTokens: 8, temperature: 0)));
    }
}
