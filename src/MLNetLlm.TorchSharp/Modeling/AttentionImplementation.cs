namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>How <see cref="CausalSelfAttention"/> computes softmax(QKᵀ/√d)·V. Both give the same result up to rounding.</summary>
public enum AttentionImplementation
{
    /// <summary>libtorch's fused <c>scaled_dot_product_attention</c> (the default; faster and lighter on memory).</summary>
    ScaledDotProduct,

    /// <summary>The textbook computation with an explicit score matrix and softmax, kept as a readable reference.</summary>
    Explicit,
}
