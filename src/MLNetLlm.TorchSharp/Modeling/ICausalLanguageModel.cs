using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// What the token-by-token generator needs from a decoder (<see cref="GptModel"/>, <see cref="LlamaModel"/>): hidden
/// states for new tokens with left padding and a key/value cache, the output head, and a cache of a given size.
/// </summary>
internal interface ICausalLanguageModel
{
    /// <summary>The torch module, for its training mode.</summary>
    nn.Module Module { get; }

    /// <summary>The device the parameters live on.</summary>
    Device Device { get; }

    /// <summary>Final hidden states (B, T, C) of ids the caller produced and checked; see <see cref="GptModel.ForwardHidden"/>.</summary>
    Tensor ForwardHiddenCore(Tensor ids, Tensor? attentionMask, KvCache? cache);

    /// <summary>Logits (…, vocabulary) of hidden states (…, C).</summary>
    Tensor Head(Tensor hidden);

    /// <summary>An empty cache for <paramref name="batchSize"/> sequences of at most <paramref name="capacity"/> tokens.</summary>
    KvCache CreateCache(int batchSize, int capacity);
}
