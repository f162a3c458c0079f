using System.Text.Json.Serialization;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Llama 3's rotary frequency scaling (<c>rope_scaling</c> with <c>rope_type = "llama3"</c>): frequencies whose
/// wavelength is longer than the original context divided by <see cref="LowFrequencyFactor"/> are divided by
/// <see cref="Factor"/>, those shorter than it divided by <see cref="HighFrequencyFactor"/> are kept, and those between
/// are blended smoothly.
/// </summary>
public sealed record LlamaRopeScaling
{
    /// <summary>The only scaling implemented.</summary>
    public const string Llama3 = "llama3";

    /// <summary>The scaling's name (<c>rope_type</c>; older files say <c>type</c>).</summary>
    [JsonPropertyName("rope_type")] public string RopeType { get; init; } = Llama3;

    /// <summary>How much the low frequencies are slowed down (8 for Llama 3.1/3.2, 32 for Llama 3.2 1B/3B).</summary>
    [JsonPropertyName("factor")] public double Factor { get; init; } = 8.0;

    /// <summary>Wavelengths above original context / this are fully scaled.</summary>
    [JsonPropertyName("low_freq_factor")] public double LowFrequencyFactor { get; init; } = 1.0;

    /// <summary>Wavelengths below original context / this are kept.</summary>
    [JsonPropertyName("high_freq_factor")] public double HighFrequencyFactor { get; init; } = 4.0;

    /// <summary>The context the model was first trained for.</summary>
    [JsonPropertyName("original_max_position_embeddings")] public int OriginalContextLength { get; init; } = 8192;

    /// <summary>Checks the numbers; names the first bad field.</summary>
    /// <exception cref="ArgumentException">The type is not <c>llama3</c>, or a factor is out of range.</exception>
    public void Validate()
    {
        if (RopeType != Llama3)
            throw new ArgumentException($"Rotary scaling type '{RopeType}' is not implemented; only '{Llama3}' is (or no rope_scaling at all).", nameof(RopeType));
        if (!(Factor >= 1) || !double.IsFinite(Factor)) throw new ArgumentException($"LlamaRopeScaling.Factor must be finite and at least 1; it is {Factor}.", nameof(Factor));
        if (!(LowFrequencyFactor > 0) || !(HighFrequencyFactor > LowFrequencyFactor))
            throw new ArgumentException($"LlamaRopeScaling needs 0 < low_freq_factor < high_freq_factor; they are {LowFrequencyFactor} and {HighFrequencyFactor}.", nameof(HighFrequencyFactor));
        if (OriginalContextLength < 1) throw new ArgumentException($"LlamaRopeScaling.OriginalContextLength must be positive; it is {OriginalContextLength}.", nameof(OriginalContextLength));
    }
}
