using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class RotaryEmbeddingTests
{
    [Fact]
    public void Each_pair_rotates_by_position_times_its_frequency()
    {
        const int headSize = 8;
        var rope = new RotaryEmbedding(headSize, theta: 10000, scaling: null);
        float[] x = [0.3f, -1.2f, 0.7f, 2.0f, -0.4f, 0.9f, 1.5f, -0.6f];
        using var scope = NewDisposeScope();

        var (cos, sin) = rope.Angles(tensor(new long[] { 0, 5, 37 }, [1, 3]), ScalarType.Float32);
        var rotated = RotaryEmbedding.Rotate(tensor(x).view(1, 1, 1, headSize).expand(1, 1, 3, headSize), cos, sin).data<float>().ToArray();

        long[] positions = [0, 5, 37];
        for (int t = 0; t < 3; t++)
            for (int i = 0; i < headSize / 2; i++)
            {
                double angle = positions[t] * Math.Pow(10000, -2.0 * i / headSize);
                Assert.Equal(x[i] * Math.Cos(angle) - x[i + 4] * Math.Sin(angle), rotated[t * headSize + i], 1e-5);
                Assert.Equal(x[i + 4] * Math.Cos(angle) + x[i] * Math.Sin(angle), rotated[t * headSize + i + 4], 1e-5);
            }
    }

    [Fact]
    public void A_rotated_dot_product_depends_only_on_the_distance()
    {
        var rope = new RotaryEmbedding(16, theta: 500000, scaling: new LlamaRopeScaling { OriginalContextLength = 256 });
        using var scope = NewDisposeScope();
        var q = randn(1, 1, 1, 16, generator: new Generator(1));
        var k = randn(1, 1, 1, 16, generator: new Generator(2));

        double Score(long queryPosition, long keyPosition)
        {
            var (cq, sq) = rope.Angles(tensor(new[] { queryPosition }, [1, 1]), ScalarType.Float32);
            var (ck, sk) = rope.Angles(tensor(new[] { keyPosition }, [1, 1]), ScalarType.Float32);
            return (RotaryEmbedding.Rotate(q, cq, sq) * RotaryEmbedding.Rotate(k, ck, sk)).sum().item<float>();
        }

        Assert.Equal(Score(7, 3), Score(107, 103), 3);
        Assert.NotEqual(Score(7, 3), Score(7, 4), 3);
    }

    [Fact]
    public void Llama3_scaling_keeps_fast_frequencies_slows_slow_ones_and_blends_between()
    {
        // Head 8, base 500,000: wavelengths 6.3, 167, 4,450 and 118,000 against an original context of 256 (bounds 64 and 256).
        var plain = new RotaryEmbedding(8, 500000, null).Frequencies;
        var scaled = new RotaryEmbedding(8, 500000, new LlamaRopeScaling { Factor = 8, LowFrequencyFactor = 1, HighFrequencyFactor = 4, OriginalContextLength = 256 }).Frequencies;

        Assert.Equal(plain[0], scaled[0]);
        double wavelength = 2 * Math.PI / plain[1], smooth = (256 / wavelength - 1) / 3;
        Assert.Equal((1 - smooth) * plain[1] / 8 + smooth * plain[1], scaled[1], 1e-6);
        Assert.Equal(plain[2] / 8, scaled[2], 1e-9);
        Assert.Equal(plain[3] / 8, scaled[3], 1e-9);
    }

    [Fact]
    public void An_unknown_scaling_type_is_refused_by_name()
    {
        var error = Assert.Throws<ArgumentException>(() => new LlamaConfig { RopeScaling = new LlamaRopeScaling { RopeType = "dynamic" } }.Validate());

        Assert.Contains("'dynamic'", error.Message);
    }
}
