using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Causal self-attention with rotary positions and grouped queries, as in Llama and Qwen: <c>q_proj</c> makes nh query
/// heads, <c>k_proj</c>/<c>v_proj</c> make nkv key/value heads (nkv divides nh), and each key/value head serves
/// nh/nkv query heads. Qwen3 normalises each query and key head (<c>q_norm</c>, <c>k_norm</c>) before the rotation;
/// Qwen2 has query/key/value biases. The cache holds the nkv rotated key heads, not their copies.
/// </summary>
public sealed class GroupedQueryAttention : Module<Tensor, Tensor>, IProjectionHost
{
    private Module<Tensor, Tensor> q_proj; // Linears, or LoraLinears wrapping them (see Lora)
    private Module<Tensor, Tensor> k_proj;
    private Module<Tensor, Tensor> v_proj;
    private Module<Tensor, Tensor> o_proj;
    private readonly RmsNorm? q_norm;
    private readonly RmsNorm? k_norm;
    private readonly int _heads;
    private readonly int _kvHeads;
    private readonly int _headSize;
    private readonly int _layerIndex;
    private readonly double _dropout;

    /// <summary>Creates the attention of block <paramref name="layerIndex"/> for <paramref name="config"/>.</summary>
    public GroupedQueryAttention(LlamaConfig config, int layerIndex, Device? device = null, ScalarType? dtype = null) : base(nameof(GroupedQueryAttention))
    {
        _heads = config.Heads;
        _kvHeads = config.KvHeads;
        _headSize = config.HeadSize;
        _layerIndex = layerIndex;
        _dropout = config.Dropout;
        q_proj = Linear(config.HiddenSize, _heads * _headSize, hasBias: config.QkvBias, device: device, dtype: dtype);
        k_proj = Linear(config.HiddenSize, _kvHeads * _headSize, hasBias: config.QkvBias, device: device, dtype: dtype);
        v_proj = Linear(config.HiddenSize, _kvHeads * _headSize, hasBias: config.QkvBias, device: device, dtype: dtype);
        o_proj = Linear(_heads * _headSize, config.HiddenSize, hasBias: false, device: device, dtype: dtype);
        if (config.QkNorm)
        {
            q_norm = new RmsNorm(_headSize, config.RmsNormEpsilon, device, dtype);
            k_norm = new RmsNorm(_headSize, config.RmsNormEpsilon, device, dtype);
        }
        RegisterComponents();
    }

    /// <summary>Which attention computation runs; <see cref="AttentionImplementation.ScaledDotProduct"/> by default.</summary>
    public AttentionImplementation Implementation { get; set; } = AttentionImplementation.ScaledDotProduct;

    /// <summary>Not used on its own: attention needs the rotary angles. Call it through <see cref="LlamaModel"/>.</summary>
    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("GroupedQueryAttention needs rotary angles; run it through LlamaModel.");

    /// <summary>The projections, by parameter name, for adapters that wrap them (<see cref="Lora"/>).</summary>
    public IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections =>
        [(nameof(q_proj), q_proj), (nameof(k_proj), k_proj), (nameof(v_proj), v_proj), (nameof(o_proj), o_proj)];

    /// <summary>Replaces projection <paramref name="name"/> under the same name, so parameter names stay put.</summary>
    public void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        switch (name)
        {
            case nameof(q_proj): q_proj = projection; break;
            case nameof(k_proj): k_proj = projection; break;
            case nameof(v_proj): v_proj = projection; break;
            case nameof(o_proj): o_proj = projection; break;
            default: throw new ArgumentException($"GroupedQueryAttention has no projection '{name}'.", nameof(name));
        }
        Lora.Reregister(this, name, projection);
    }

    internal Tensor Forward(Tensor x, AttentionInputs inputs, Tensor cos, Tensor sin)
    {
        long batch = x.shape[0], time = x.shape[1];

        var q = MixedPrecision.Project(q_proj, x).view(batch, time, _heads, _headSize).transpose(1, 2);   // (B, nh, T, hs)
        var k = MixedPrecision.Project(k_proj, x).view(batch, time, _kvHeads, _headSize).transpose(1, 2); // (B, nkv, T, hs)
        var v = MixedPrecision.Project(v_proj, x).view(batch, time, _kvHeads, _headSize).transpose(1, 2); // (B, nkv, T, hs)
        if (q_norm is not null) (q, k) = (q_norm.forward(q), k_norm!.forward(k));
        q = RotaryEmbedding.Rotate(q, cos, sin);
        k = RotaryEmbedding.Rotate(k, cos, sin);
        if (inputs.Cache is { } cache) (k, v) = cache.Append(_layerIndex, k, v);         // (B, nkv, past + T, hs)
        (q, k) = (q.to(v.dtype), k.to(v.dtype)); // fp32 cos/sin and norms promote bf16 projections (MixedPrecision): attend in v's type

        int group = _heads / _kvHeads;
        if (group > 1)
        {
            k = k.repeat_interleave(group, dim: 1);                                        // (B, nh, past + T, hs)
            v = v.repeat_interleave(group, dim: 1);                                        // (B, nh, past + T, hs)
        }
        var y = Implementation == AttentionImplementation.ScaledDotProduct
            ? functional.scaled_dot_product_attention(q, k, v, inputs.Mask, training ? _dropout : 0.0, inputs.IsCausal)
            : ExplicitAttention(q, k, v, inputs);                                          // (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(batch, time, _heads * _headSize);        // (B, T, nh·hs)
        return MixedPrecision.Project(o_proj, y);                                                       // (B, T, C)
    }

    private Tensor ExplicitAttention(Tensor q, Tensor k, Tensor v, AttentionInputs inputs)
    {
        var scores = q.matmul(k.transpose(-2, -1)) * (1.0 / Math.Sqrt(_headSize)); // (B, nh, T, Tk)
        var allowed = inputs.Mask
            ?? (inputs.IsCausal ? ones(q.shape[2], k.shape[2], ScalarType.Bool, q.device).tril() : null);
        if (allowed is not null) scores = scores.masked_fill(allowed.logical_not(), double.NegativeInfinity);
        var weights = functional.dropout(functional.softmax(scores, dim: -1), _dropout, training); // (B, nh, T, Tk)
        return weights.matmul(v);                                                   // (B, nh, T, hs)
    }
}
