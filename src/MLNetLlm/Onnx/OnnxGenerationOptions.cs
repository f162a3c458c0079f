namespace MLNetLlm.Onnx;

/// <summary>What <see cref="OnnxGptGenerator"/> does when prompt plus generated tokens outgrow the exported context.</summary>
public enum OnnxContextOverflow
{
    /// <summary>
    /// Slide the window, as MLNetLlm.TorchSharp's generator does: keep the newest three quarters of the context, run
    /// them again from an empty cache (positions restart at 0) and go on. Greedy output equals the TorchSharp generator's.
    /// </summary>
    Slide,

    /// <summary>Throw <see cref="InvalidOperationException"/> when the next token would not fit in the context.</summary>
    Error,
}

/// <summary>
/// How <see cref="OnnxGptGenerator"/> picks tokens: the settings and defaults of MLNetLlm.TorchSharp's
/// <c>GenerationOptions</c>. The default samples from the full distribution at temperature 1; set <see cref="Greedy"/>
/// for the most likely token. Sampling applies temperature, then top-k, then top-p.
/// </summary>
public sealed record OnnxGenerationOptions
{
    /// <summary>Most tokens to generate after the prompt (stop tokens end earlier). Default 50; 0 generates nothing.</summary>
    public int MaxNewTokens { get; init; } = 50;

    /// <summary>Take the most likely token at every step (the lowest id among equal logits), ignoring temperature,
    /// top-k, top-p and seed. Default false.</summary>
    public bool Greedy { get; init; }

    /// <summary>Divides the logits before sampling: below 1 sharpens, above 1 flattens. Must be positive. Default 1.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Sample only among the <c>k</c> most likely tokens (ties at the k-th logit stay in). Null keeps all.</summary>
    public int? TopK { get; init; }

    /// <summary>Nucleus sampling: sample from the smallest set of most likely tokens whose probability reaches
    /// <c>p</c>, in (0, 1]. Null or 1 keeps all.</summary>
    public double? TopP { get; init; }

    /// <summary>Token ids that end a sequence's generation; the stop token itself is not part of the output.</summary>
    public IReadOnlyList<int> StopTokens { get; init; } = [];

    /// <summary>Also stop at the tokenizer's end-of-text token. Default true.</summary>
    public bool StopAtEndOfText { get; init; } = true;

    /// <summary>Seed of the sampling generator (a private <see cref="Random"/>): the same seed gives the same text.
    /// Null draws a fresh seed each call.</summary>
    public int? Seed { get; init; }

    /// <summary>What happens when the sequence outgrows the context. Default <see cref="OnnxContextOverflow.Slide"/>.</summary>
    public OnnxContextOverflow ContextOverflow { get; init; } = OnnxContextOverflow.Slide;

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
