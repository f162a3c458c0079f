using Microsoft.ML;
using MLNetLlm.Tests.Workout;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Tests.Transforms;

/// <summary>The conventional ONNX path: padded ids and attention mask go straight into ML.NET's ApplyOnnxModel.</summary>
public sealed class TokenizeToOnnxTests : IDisposable
{
    private readonly string _model = Path.Combine(Path.GetTempPath(), $"masked-tokens-{Guid.NewGuid():N}.onnx");

    public void Dispose() => File.Delete(_model);

    [Fact]
    public void Padded_tokens_and_mask_feed_ApplyOnnxModel()
    {
        File.WriteAllBytes(_model, TinyOnnxModel.MaskedTokens(length: 6));
        var ml = new MLContext(seed: 1);
        var data = TestData.Texts(ml, "Hello, world!", "Hello");
        var pipeline = ml.Transforms.Llm.Tokenize("Tokens", "Text", LlmTokenizers.Gpt2(), padToLength: 6)
            .Append(ml.Transforms.ApplyOnnxModel(["Masked"], ["Tokens", "AttentionMask"], _model));
        var output = pipeline.Fit(data).Transform(data);

        Assert.Equal([[15496, 11, 995, 0, 0, 0], [15496, 0, 0, 0, 0, 0]], DataViewValues.Column<long>(output, "Masked"));
    }
}
