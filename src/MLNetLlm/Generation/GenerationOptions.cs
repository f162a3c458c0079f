namespace MLNetLlm.Generation;

/// <summary>
/// How a generator picks tokens: <c>GptGenerator</c> (MLNetLlm.TorchSharp) and <c>OnnxGptGenerator</c> (ONNX Runtime)
/// take the same options and give the same greedy output. The default samples from the full distribution at temperature 1;
/// set <see cref="Greedy"/> for the deterministic most-likely token, or narrow sampling with <see cref="TopK"/> and
/// <see cref="TopP"/>. Sampling is applied in the order temperature, top-k, top-p.
/// </summary>
public sealed record GenerationOptions
{
    /// <summary>Most tokens to generate after the prompt (stop tokens end earlier). Default 50; 0 generates nothing.</summary>
    public int MaxNewTokens { get; init; } = 50;

    /// <summary>Take the most likely token at every step, ignoring temperature, top-k, top-p and seed. Default false.</summary>
    public bool Greedy { get; init; }

    /// <summary>Divides the logits before sampling: below 1 sharpens, above 1 flattens. Must be positive; for the
    /// zero-temperature limit set <see cref="Greedy"/>. Default 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Sample only among the <c>k</c> most likely tokens (ties at the k-th logit stay in). Null keeps all.</summary>
    public int? TopK { get; init; }

    /// <summary>Nucleus sampling: sample from the smallest set of most likely tokens whose probability reaches
    /// <c>p</c>, in (0, 1]. Null or 1 keeps all.</summary>
    public double? TopP { get; init; }

    /// <summary>Token ids that end a sequence's generation; the stop token itself is not part of the output.</summary>
    public IReadOnlyList<int> StopTokens { get; init; } = [];

    /// <summary>Also stop at the tokenizer's end-of-text token (<c>&lt;|endoftext|&gt;</c> for GPT-2). Default true.</summary>
    public bool StopAtEndOfText { get; init; } = true;

    /// <summary>Seed of the sampling generator, private to the call (a <c>torch.Generator</c> in GptGenerator, so
    /// global torch randomness is left alone; a <see cref="Random"/> in OnnxGptGenerator): the same seed gives the same
    /// text from the same generator, though the two generators draw differently. Null draws a fresh seed each call.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Reuse the keys and values of earlier tokens (GptGenerator's KV cache). Default true; the output is the
    /// same without it, only slower. OnnxGptGenerator always feeds the past key/values back.</summary>
    public bool UseKvCache { get; init; } = true;

    /// <summary>What happens when the sequence outgrows the context. Default <see cref="ContextOverflow.Slide"/>.</summary>
    public ContextOverflow ContextOverflow { get; init; } = ContextOverflow.Slide;

    /// <summary>Checks every setting; names the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its documented range.</exception>
    public void Validate()
    {
        if (MaxNewTokens < 0)
            throw new ArgumentOutOfRangeException(nameof(MaxNewTokens), MaxNewTokens, "MaxNewTokens must be 0 or more.");
        if (!(Temperature > 0) || double.IsInfinity(Temperature))
            throw new ArgumentOutOfRangeException(nameof(Temperature), Temperature, "Temperature must be a positive finite number; for deterministic decoding set Greedy = true.");
        if (TopK is < 1)
            throw new ArgumentOutOfRangeException(nameof(TopK), TopK, "TopK must be at least 1, or null to keep every token.");
        if (TopP is { } p && !(p > 0 && p <= 1))
            throw new ArgumentOutOfRangeException(nameof(TopP), TopP, "TopP must be in (0, 1], or null to keep every token.");
        if (!Enum.IsDefined(ContextOverflow))
            throw new ArgumentOutOfRangeException(nameof(ContextOverflow), ContextOverflow, "Unknown ContextOverflow.");
        ArgumentNullException.ThrowIfNull(StopTokens);
    }
}
