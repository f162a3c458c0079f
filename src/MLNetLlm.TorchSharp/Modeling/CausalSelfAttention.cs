using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Multi-head causal self-attention with one fused query/key/value projection (<c>c_attn</c>) and an output projection
/// (<c>c_proj</c>), as in GPT-2.
/// </summary>
public sealed class CausalSelfAttention : Module<Tensor, Tensor>, IProjectionHost
{
    private Module<Tensor, Tensor> c_attn; // a Linear, or a LoraLinear wrapping it (see Lora)
    private Module<Tensor, Tensor> c_proj;
    private readonly Dropout attn_dropout;
    private readonly Dropout resid_dropout;
    private readonly int heads;
    private readonly int layerIndex;
    private readonly double dropout;

    /// <summary>Creates the attention of block <paramref name="layerIndex"/> for <paramref name="config"/>.</summary>
    public CausalSelfAttention(GptConfig config, int layerIndex, Device? device = null, ScalarType? dtype = null) : base(nameof(CausalSelfAttention))
    {
        int width = config.EmbeddingSize;
        c_attn = Linear(width, 3 * width, hasBias: config.QkvBias, device: device, dtype: dtype);
        c_proj = Linear(width, width, device: device, dtype: dtype);
        attn_dropout = Dropout(config.Dropout);
        resid_dropout = Dropout(config.Dropout);
        heads = config.Heads;
        this.layerIndex = layerIndex;
        dropout = config.Dropout;
        RegisterComponents();
    }

    /// <summary>Which attention computation runs; <see cref="AttentionImplementation.ScaledDotProduct"/> by default.</summary>
    public AttentionImplementation Implementation { get; set; } = AttentionImplementation.ScaledDotProduct;

    /// <summary>Causal self-attention over <paramref name="x"/> of shape (B, T, C).</summary>
    public override Tensor forward(Tensor x) => Forward(x, AttentionInputs.Causal);

    /// <summary>The projections, by parameter name, for adapters that wrap them (<see cref="Lora"/>).</summary>
    public IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections => [(nameof(c_attn), c_attn), (nameof(c_proj), c_proj)];

    /// <summary>Replaces projection <paramref name="name"/> under the same name, so parameter names stay put.</summary>
    public void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        if (name == nameof(c_attn)) c_attn = projection;
        else if (name == nameof(c_proj)) c_proj = projection;
        else throw new ArgumentException($"CausalSelfAttention has no projection '{name}'.", nameof(name));
        Lora.Reregister(this, name, projection);
    }

    internal Tensor Forward(Tensor x, AttentionInputs inputs)
    {
        long batch = x.shape[0], time = x.shape[1], width = x.shape[2], headSize = width / heads;

        var qkv = MixedPrecision.Project(c_attn, x).split(width, dim: 2);                      // 3 × (B, T, C)
        var q = qkv[0].view(batch, time, heads, headSize).transpose(1, 2);     // (B, nh, T, hs)
        var k = qkv[1].view(batch, time, heads, headSize).transpose(1, 2);     // (B, nh, T, hs)
        var v = qkv[2].view(batch, time, heads, headSize).transpose(1, 2);     // (B, nh, T, hs)
        if (inputs.Cache is { } cache) (k, v) = cache.Append(layerIndex, k, v); // (B, nh, past + T, hs)
        q = q.to(k.dtype); // a bf16 prefill into an fp32 cache (InferencePrecision) attends in the cache's type

        var y = Implementation == AttentionImplementation.ScaledDotProduct
            ? functional.scaled_dot_product_attention(q, k, v, inputs.Mask, training ? dropout : 0.0, inputs.IsCausal)
            : ExplicitAttention(q, k, v, inputs);                              // (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(batch, time, width);          // (B, T, C)
        return resid_dropout.forward(MixedPrecision.Project(c_proj, y));
    }

    private Tensor ExplicitAttention(Tensor q, Tensor k, Tensor v, AttentionInputs inputs)
    {
        var scores = q.matmul(k.transpose(-2, -1)) * (1.0 / Math.Sqrt(q.shape[^1])); // (B, nh, T, Tk)
        var allowed = inputs.Mask
            ?? (inputs.IsCausal ? ones(q.shape[2], k.shape[2], ScalarType.Bool, q.device).tril() : null);
        if (allowed is not null) scores = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        var weights = attn_dropout.forward(functional.softmax(scores, dim: -1));     // (B, nh, T, Tk)
        return weights.matmul(v);                                                    // (B, nh, T, hs)
    }
}
