namespace MLNetLlm.Generation;

/// <summary>What generation does when prompt plus generated tokens outgrow the model's context length.</summary>
public enum ContextOverflow
{
    /// <summary>
    /// Slide the window: drop the oldest tokens so the newest three quarters of the context remain, rebuild the KV
    /// cache from them with one forward pass, and go on. Positions restart at 0 in the new window. Generation with and
    /// without the cache sees the same windows, so greedy output is identical either way, at any length.
    /// </summary>
    Slide,

    /// <summary>Throw <see cref="InvalidOperationException"/> when the next token would not fit in the context.</summary>
    Error,
}
