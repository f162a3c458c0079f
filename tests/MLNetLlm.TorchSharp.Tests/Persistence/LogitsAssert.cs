using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

internal static class LogitsAssert
{
    /// <summary>The model's logits for one sequence, flattened to [T * V].</summary>
    public static float[] Of(GptModel model, int[] ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]);
        return model.forward(input).to(ScalarType.Float32, CPU).data<float>().ToArray();
    }

    public static void Close(float[] expected, float[] actual, double tolerance = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = expected.Zip(actual, (e, a) => Math.Abs(e - a)).Max();
        Assert.True(worst <= tolerance, $"logits differ by up to {worst:g3}, more than {tolerance:g3}");
    }
}
