namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The number format a model computes its matrix products in.</summary>
public enum Precision
{
    /// <summary>32-bit floats throughout (the default).</summary>
    Fp32,

    /// <summary>
    /// bfloat16 matrix products. In training this is mixed precision: weights, gradients and optimizer state stay fp32,
    /// the projections' products (forward and backward) and attention run in bf16; the residual stream, layer norms,
    /// pooling and the loss stay fp32. At inference, passes over many tokens run bf16 and a decoder's one-token cached
    /// steps stay fp32 (see the transformers' <c>Precision</c> options).
    /// Fast on CPUs with AVX-512 BF16 or AMX (Zen 4, Sapphire Rapids) and on recent GPUs; slow elsewhere.
    /// </summary>
    Bf16,
}
