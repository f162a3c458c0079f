using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The attention half of a BERT layer: <c>self</c> (query/key/value attention), then <c>output</c> (dense, residual, LayerNorm).</summary>
public sealed class BertAttention : Module<Tensor, Tensor>
{
    private readonly BertSelfAttention self;
    private readonly BertOutput output;

    /// <summary>Creates the attention half of a layer shaped by <paramref name="config"/>.</summary>
    public BertAttention(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertAttention))
    {
        self = new BertSelfAttention(config, device, dtype);
        output = new BertOutput(config, config.HiddenSize, device, dtype);
        RegisterComponents();
    }

    /// <summary>The query/key/value attention (<c>attention.self</c>).</summary>
    public BertSelfAttention Self => self;

    /// <summary>The output projection and its LayerNorm (<c>attention.output</c>).</summary>
    public BertOutput Output => output;

    /// <summary>Maps (B, T, C) to (B, T, C) with no padding.</summary>
    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>Maps (B, T, C) to (B, T, C); <paramref name="mask"/> as for <see cref="BertSelfAttention"/>.</summary>
    internal Tensor Forward(Tensor x, Tensor? mask) => output.forward(self.Forward(x, mask), x); // (B, T, C)
}
