using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The widening half of BERT's feed-forward layer: <c>dense</c> (C → intermediate), then the exact (erf) GELU.</summary>
public sealed class BertIntermediate : Module<Tensor, Tensor>
{
    private Module<Tensor, Tensor> dense; // a Linear, or a LoraLinear wrapping it (see ReplaceProjection)

    /// <summary>Creates the layer for <paramref name="config"/>.</summary>
    public BertIntermediate(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertIntermediate))
    {
        dense = Linear(config.HiddenSize, config.IntermediateSize, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>The projection, by parameter name, for adapters that wrap it (<see cref="Lora"/>).</summary>
    internal IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections => [(nameof(dense), dense)];

    /// <summary>Replaces projection <paramref name="name"/> (only <c>dense</c>) under the same name.</summary>
    internal void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        if (name != nameof(dense)) throw new ArgumentException($"BertIntermediate has no projection '{name}'.", nameof(name));
        dense = projection;
        Lora.Reregister(this, name, projection);
    }

    /// <summary>Maps (B, T, C) to (B, T, intermediate).</summary>
    public override Tensor forward(Tensor x) => functional.gelu(MixedPrecision.Project(dense, x)); // exact GELU, as BERT's hidden_act "gelu"
}
