using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>BERT's stack of layers, <c>layer.0</c> to <c>layer.{n-1}</c> (Hugging Face's <c>encoder.layer</c>).</summary>
public sealed class BertEncoder : Module<Tensor, Tensor>
{
    private readonly ModuleList<BertLayer> layer;

    /// <summary>Creates <see cref="BertConfig.Layers"/> layers shaped by <paramref name="config"/>.</summary>
    public BertEncoder(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertEncoder))
    {
        layer = ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new BertLayer(config, device, dtype)).ToArray());
        RegisterComponents();
    }

    /// <summary>The layers, in order.</summary>
    public IReadOnlyList<BertLayer> Layers => [.. layer];

    /// <summary>Maps (B, T, C) to (B, T, C) with no padding.</summary>
    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>Maps (B, T, C) to (B, T, C); <paramref name="mask"/> as for <see cref="BertSelfAttention"/>.</summary>
    internal Tensor Forward(Tensor x, Tensor? mask)
    {
        foreach (var block in layer) x = block.Forward(x, mask); // (B, T, C)
        return x;
    }
}
