using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>One Llama block: <c>x + self_attn(input_layernorm(x))</c>, then <c>x + mlp(post_attention_layernorm(x))</c>.</summary>
public sealed class LlamaBlock : Module<Tensor, Tensor>
{
    private readonly RmsNorm input_layernorm;
    private readonly GroupedQueryAttention self_attn;
    private readonly RmsNorm post_attention_layernorm;
    private readonly SwiGluMlp mlp;

    /// <summary>Creates block number <paramref name="layerIndex"/> of a model shaped by <paramref name="config"/>.</summary>
    public LlamaBlock(LlamaConfig config, int layerIndex, Device? device = null, ScalarType? dtype = null) : base(nameof(LlamaBlock))
    {
        input_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEpsilon, device, dtype);
        self_attn = new GroupedQueryAttention(config, layerIndex, device, dtype);
        post_attention_layernorm = new RmsNorm(config.HiddenSize, config.RmsNormEpsilon, device, dtype);
        mlp = new SwiGluMlp(config, device, dtype);
        RegisterComponents();
    }

    /// <summary>The block's attention, to choose its <see cref="GroupedQueryAttention.Implementation"/>.</summary>
    public GroupedQueryAttention Attention => self_attn;

    /// <summary>The block's feed-forward half (for adapters such as <see cref="Lora"/>).</summary>
    internal SwiGluMlp Mlp => mlp;

    /// <summary>Not used on its own: the block needs the rotary angles. Call it through <see cref="LlamaModel"/>.</summary>
    public override Tensor forward(Tensor x) =>
        throw new NotSupportedException("LlamaBlock needs rotary angles; run it through LlamaModel.");

    internal Tensor Forward(Tensor x, AttentionInputs inputs, Tensor cos, Tensor sin)
    {
        x = x + self_attn.Forward(input_layernorm.forward(x), inputs, cos, sin); // (B, T, C)
        return x + mlp.forward(post_attention_layernorm.forward(x));            // (B, T, C)
    }
}
