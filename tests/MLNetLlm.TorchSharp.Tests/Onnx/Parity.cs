using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

/// <summary>Inputs and comparisons shared by the ONNX parity tests.</summary>
internal static class Parity
{
    /// <summary>The float32 tolerance of the export: ONNX Runtime and TorchSharp agree to this on every output.</summary>
    public const double Tolerance = 1e-4;

    /// <summary>Seeded random ids (batch, time) in [1, vocabulary) and a mask padding row r by <paramref name="padding"/>[r] tokens on the given side.</summary>
    public static (long[] Ids, long[] Mask) Batch(int batch, int time, int vocabulary, int[] padding, bool left, int seed = 1)
    {
        var random = new Random(seed);
        var ids = new long[batch * time];
        var mask = new long[batch * time];
        for (int row = 0; row < batch; row++)
            for (int t = 0; t < time; t++)
            {
                bool real = left ? t >= padding[row] : t < time - padding[row];
                ids[row * time + t] = real ? random.Next(1, vocabulary) : 0;
                mask[row * time + t] = real ? 1 : 0;
            }
        return (ids, mask);
    }

    /// <summary>
    /// Gives every parameter of <paramref name="module"/> seeded values far from GPT-2's small initialisation (LayerNorm
    /// scales around 1, everything else N(0, <paramref name="std"/>)), so that every operator moves the outputs and a
    /// wrong one fails the parity check instead of hiding in near-zero activations.
    /// </summary>
    public static T Scramble<T>(T module, ulong seed, double std = 0.25) where T : global::TorchSharp.torch.nn.Module
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var generator = new Generator(seed);
        foreach (var (name, parameter) in module.named_parameters())
        {
            var noise = randn(parameter.shape, generator: generator) * std;
            parameter.copy_(name.Contains("ln_", StringComparison.Ordinal) && name.EndsWith(".weight", StringComparison.Ordinal) ? noise + 1 : noise);
        }
        return module;
    }

    public static float[] Floats(Tensor tensor)
    {
        using var scope = NewDisposeScope();
        return tensor.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }

    /// <summary>The largest absolute difference; fails above <paramref name="tolerance"/>.</summary>
    public static double AssertClose(float[] expected, float[] actual, string what, double tolerance = Tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double worst = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.False(float.IsNaN(actual[i]), $"{what}: ONNX Runtime gave NaN at {i}");
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
        }
        Assert.True(worst <= tolerance, $"{what}: ONNX Runtime and TorchSharp differ by up to {worst:g3}, more than {tolerance:g3}");
        return worst;
    }

    /// <summary>Only the entries of <paramref name="values"/> (rows of <paramref name="width"/>) where the mask is 1.</summary>
    public static float[] RealRows(float[] values, long[] mask, int width) =>
        [.. Enumerable.Range(0, mask.Length).Where(i => mask[i] == 1).SelectMany(i => values.AsSpan(i * width, width).ToArray())];
}
