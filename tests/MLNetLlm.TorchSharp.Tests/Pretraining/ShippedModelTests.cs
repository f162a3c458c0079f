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
        // Tied embeddings 8000 × 192 + positions 128 × 192 + 4 blocks of (two LayerNorms 2 × 384, c_attn 192 × 576 + 576,
        // attention c_proj 192 × 192 + 192, c_fc 192 × 768 + 768, mlp c_proj 768 × 192 + 192) + ln_f 384.
        Assert.Equal(1_536_000 + 24_576 + 4 * (768 + 111_168 + 37_056 + 148_224 + 147_648) + 384, gpt.Model.ParameterCount);
        Assert.Equal(3_340_416, gpt.Model.ParameterCount);

        var ml = new MLContext(seed: 1);
        const string sentence = "The jury said that the city was not able to pay for the new school.";
        var reversed = string.Join(' ', sentence.TrimEnd('.').Split(' ').Reverse()) + ".";
        var data = ml.Data.LoadFromEnumerable(new[] { new TinyGpt.Doc { Text = sentence }, new TinyGpt.Doc { Text = reversed } });
        var perplexities = DataViewValues.Column<float>(gpt.Transform(data), "Perplexity");
        Assert.True(perplexities[0][0] * 2 < perplexities[1][0], $"in order {perplexities[0][0]}, reversed {perplexities[1][0]}");
        Assert.False(string.IsNullOrWhiteSpace(gpt.Generate("The jury said", maxNewTokens: 8, temperature: 0)));
    }
}
