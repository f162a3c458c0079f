using MLNetLlm.Embeddings;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>Turns BERT's last hidden states (B, T, C) into one vector per text (B, C), as sentence-transformers does.</summary>
public static class BertPooling
{
    /// <summary>
    /// The mean of the real tokens' states: <c>Σ h·mask / max(Σ mask, 1e-9)</c> (sentence-transformers' mean pooling,
    /// all-MiniLM-L6-v2's); a row without real tokens gives zeros.
    /// </summary>
    /// <param name="hidden">(B, T, C).</param>
    /// <param name="attentionMask">(B, T), nonzero for real tokens.</param>
    public static Tensor Mean(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var weights = attentionMask.to(hidden.dtype, hidden.device).unsqueeze(-1); // (B, T, 1)
        var sum = (hidden * weights).sum(1);                                        // (B, C)
        var count = weights.sum(1).clamp_min(1e-9);                                 // (B, 1)
        return (sum / count).MoveToOuterDisposeScope();                             // (B, C)
    }

    /// <summary>The first token's state, BERT's <c>[CLS]</c> (snowflake-arctic-embed's pooling): (B, T, C) to (B, C).</summary>
    public static Tensor Cls(Tensor hidden) => hidden.select(1, 0); // (B, C)

    /// <summary>The last real token's state (the token before the first padding): (B, T, C) to (B, C).</summary>
    public static Tensor LastToken(Tensor hidden, Tensor attentionMask)
    {
        using var scope = NewDisposeScope();
        var last = (attentionMask.to(ScalarType.Int64, hidden.device).sum(1) - 1).clamp_min(0); // (B)
        var index = last.view(-1, 1, 1).expand(-1, 1, hidden.shape[2]);                         // (B, 1, C)
        return hidden.gather(1, index).squeeze(1).MoveToOuterDisposeScope();                    // (B, C)
    }

    /// <summary>Pools with <paramref name="pooling"/>: <see cref="EmbeddingPooling.Mean"/>, <see cref="EmbeddingPooling.FirstToken"/> (CLS) or <see cref="EmbeddingPooling.LastToken"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Unknown pooling.</exception>
    public static Tensor Pool(Tensor hidden, Tensor attentionMask, EmbeddingPooling pooling) => pooling switch
    {
        EmbeddingPooling.Mean => Mean(hidden, attentionMask),
        EmbeddingPooling.FirstToken => Cls(hidden),
        EmbeddingPooling.LastToken => LastToken(hidden, attentionMask),
        _ => throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling."),
    };

    /// <summary>Scales each row of (…, C) to Euclidean length 1: <c>x / max(‖x‖, 1e-12)</c>, as PyTorch's <c>F.normalize</c>.</summary>
    public static Tensor NormalizeL2(Tensor vectors) => nn.functional.normalize(vectors, p: 2, dim: -1, eps: 1e-12);
}
