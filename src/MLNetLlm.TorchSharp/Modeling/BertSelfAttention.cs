using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// BERT's bidirectional multi-head self-attention: separate <c>query</c>, <c>key</c> and <c>value</c> projections
/// (Hugging Face's names), every token attending to every real token of its sequence through libtorch's
/// <c>scaled_dot_product_attention</c>; padding keys are masked out, nothing is causal.
/// </summary>
public sealed class BertSelfAttention : Module<Tensor, Tensor>
{
    private Module<Tensor, Tensor> query; // a Linear, or a LoraLinear wrapping it (see ReplaceProjection)
    private Module<Tensor, Tensor> key;
    private Module<Tensor, Tensor> value;
    private readonly int heads;
    private readonly double dropout;

    /// <summary>Creates the attention of a model shaped by <paramref name="config"/>.</summary>
    public BertSelfAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertSelfAttention))
    {
        int width = config.HiddenSize;
        query = Linear(width, width, device: device, dtype: dtype);
        key = Linear(width, width, device: device, dtype: dtype);
        value = Linear(width, width, device: device, dtype: dtype);
        heads = config.Heads;
        dropout = config.AttentionDropout;
        RegisterComponents();
    }

    /// <summary>Attention over <paramref name="x"/> (B, T, C) with no padding; gives (B, T, C) before the output projection.</summary>
    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>The projections, by parameter name, for adapters that wrap them (<see cref="Lora"/>).</summary>
    internal IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections => [(nameof(query), query), (nameof(key), key), (nameof(value), value)];

    /// <summary>Replaces projection <paramref name="name"/> under the same name, so parameter names stay put.</summary>
    internal void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        if (name == nameof(query)) query = projection;
        else if (name == nameof(key)) key = projection;
        else if (name == nameof(value)) value = projection;
        else throw new ArgumentException($"BertSelfAttention has no projection '{name}'.", nameof(name));
        Lora.Reregister(this, name, projection);
    }

    /// <param name="x">Hidden states (B, T, C).</param>
    /// <param name="mask">(B, 1, 1, T) booleans, true for the keys a query may attend to (the real tokens, see
    /// <see cref="BertModel"/>); null when nothing is padded.</param>
    internal Tensor Forward(Tensor x, Tensor? mask)
    {
        long batch = x.shape[0], time = x.shape[1], width = x.shape[2], headSize = width / heads;
        var q = MixedPrecision.Project(query, x).view(batch, time, heads, headSize).transpose(1, 2); // (B, nh, T, hs)
        var k = MixedPrecision.Project(key, x).view(batch, time, heads, headSize).transpose(1, 2);   // (B, nh, T, hs)
        var v = MixedPrecision.Project(value, x).view(batch, time, heads, headSize).transpose(1, 2); // (B, nh, T, hs)
        var y = functional.scaled_dot_product_attention(q, k, v, mask, training ? dropout : 0.0); // (B, nh, T, hs)
        return y.transpose(1, 2).contiguous().view(batch, time, width);             // (B, T, C)
    }
}
