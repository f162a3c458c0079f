using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Rotary position embeddings as Hugging Face's Llama computes them: dimension pairs (i, i + hs/2) of a head are
/// rotated by the angle <c>position · θᵢ</c>, with <c>θᵢ = base^(−2i/hs)</c>, optionally rescaled as Llama 3 does
/// (<see cref="LlamaRopeScaling"/>). Angles are computed in float32 from the positions at each call, so no table of the
/// whole context is held.
/// </summary>
public sealed class RotaryEmbedding
{
    private readonly float[] _inverseFrequencies; // (hs/2)

    /// <summary>The rotation for heads of <paramref name="headSize"/> dimensions.</summary>
    public RotaryEmbedding(int headSize, double theta, LlamaRopeScaling? scaling)
    {
        _inverseFrequencies = InverseFrequencies(headSize, theta, scaling);
    }

    /// <summary>θᵢ for each of the hs/2 dimension pairs, after scaling.</summary>
    public IReadOnlyList<float> Frequencies => _inverseFrequencies;

    /// <summary>The cosines and sines for <paramref name="positions"/> (B or 1, T): (B or 1, 1, T, hs) each, in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor Sin) Angles(Tensor positions, ScalarType dtype)
    {
        var frequencies = tensor(_inverseFrequencies, device: positions.device);           // (hs/2)
        var angles = positions.to(ScalarType.Float32).unsqueeze(-1) * frequencies;         // (B, T, hs/2)
        var both = cat([angles, angles], dim: -1).unsqueeze(1);                            // (B, 1, T, hs)
        return (both.cos().to(dtype), both.sin().to(dtype));
    }

    /// <summary>Rotates queries or keys (B, nh, T, hs) by the angles of <see cref="Angles"/>.</summary>
    public static Tensor Rotate(Tensor x, Tensor cos, Tensor sin)
    {
        long half = x.shape[^1] / 2;
        var rotatedHalf = cat([-x.narrow(-1, half, half), x.narrow(-1, 0, half)], dim: -1); // (x₁, x₂) → (−x₂, x₁)
        return x * cos + rotatedHalf * sin;
    }

    private static float[] InverseFrequencies(int headSize, double theta, LlamaRopeScaling? scaling)
    {
        var frequencies = new float[headSize / 2];
        for (int i = 0; i < frequencies.Length; i++)
        {
            float frequency = (float)(1.0 / Math.Pow(theta, 2.0 * i / headSize));
            frequencies[i] = scaling is null ? frequency : Llama3Scaled(frequency, scaling);
        }
        return frequencies;
    }

    // Llama 3: long wavelengths slowed by Factor, short ones kept, a linear blend in between (in 1/wavelength).
    private static float Llama3Scaled(float frequency, LlamaRopeScaling s)
    {
        double wavelength = 2 * Math.PI / frequency;
        double lowFrequencyWavelength = s.OriginalContextLength / s.LowFrequencyFactor;
        double highFrequencyWavelength = s.OriginalContextLength / s.HighFrequencyFactor;
        if (wavelength < highFrequencyWavelength) return frequency;
        if (wavelength > lowFrequencyWavelength) return (float)(frequency / s.Factor);
        double smooth = (s.OriginalContextLength / wavelength - s.LowFrequencyFactor) / (s.HighFrequencyFactor - s.LowFrequencyFactor);
        return (float)((1 - smooth) * frequency / s.Factor + smooth * frequency);
    }
}
