using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>One pre-LayerNorm transformer block: <c>x + attn(ln_1(x))</c>, then <c>x + mlp(ln_2(x))</c>.</summary>
public sealed class Block : Module<Tensor, Tensor>
{
    private readonly LayerNorm ln_1;
    private readonly CausalSelfAttention attn;
    private readonly LayerNorm ln_2;
    private readonly Mlp mlp;

    /// <summary>Creates block number <paramref name="layerIndex"/> of a model shaped by <paramref name="config"/>.</summary>
    public Block(GptConfig config, int layerIndex, Device? device = null, ScalarType? dtype = null) : base(nameof(Block))
    {
        ln_1 = LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon, device: device, dtype: dtype);
        attn = new CausalSelfAttention(config, layerIndex, device, dtype);
        ln_2 = LayerNorm(config.EmbeddingSize, config.LayerNormEpsilon, device: device, dtype: dtype);
        mlp = new Mlp(config, device, dtype);
        RegisterComponents();
    }

    /// <summary>The block's attention, to choose its <see cref="CausalSelfAttention.Implementation"/>.</summary>
    public CausalSelfAttention Attention => attn;

    /// <summary>The block's feed-forward half (for adapters such as <see cref="Lora"/>).</summary>
    internal Mlp Mlp => mlp;

    /// <summary>Maps (B, T, C) to (B, T, C) with plain causal attention.</summary>
    public override Tensor forward(Tensor x) => Forward(x, AttentionInputs.Causal);

    internal Tensor Forward(Tensor x, AttentionInputs inputs)
    {
        x = x + attn.Forward(ln_1.forward(x), inputs); // (B, T, C)
        return x + mlp.forward(ln_2.forward(x));       // (B, T, C)
    }
}
