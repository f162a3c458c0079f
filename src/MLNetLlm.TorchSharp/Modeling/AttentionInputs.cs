using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// What every attention layer of one forward pass shares: either the plain causal flag, or an explicit mask of the keys
/// each query may see (left padding, cached keys); and the key/value cache the layers append to, if any.
/// </summary>
/// <param name="Mask">(B, 1, T, past + T) booleans, true where a query may attend to a key; null when <paramref name="IsCausal"/> says it all.</param>
/// <param name="IsCausal">True when the only constraint is "no peeking at later tokens" and there is no cached past.</param>
/// <param name="Cache">The cache this pass reads past keys from and writes its own keys to; null without a cache.</param>
internal sealed record AttentionInputs(Tensor? Mask, bool IsCausal, KvCache? Cache)
{
    /// <summary>Plain causal attention over the whole input, no padding and no cache.</summary>
    public static AttentionInputs Causal { get; } = new(null, true, null);
}
