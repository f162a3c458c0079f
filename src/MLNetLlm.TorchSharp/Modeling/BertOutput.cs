using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// The post-LayerNorm residual step that closes both halves of a BERT layer: <c>LayerNorm(dropout(dense(h)) + x)</c>.
/// Hugging Face calls it <c>BertSelfOutput</c> after the attention (<c>attention.output</c>, dense C → C) and
/// <c>BertOutput</c> after the feed-forward layer (<c>output</c>, dense intermediate → C); parameters <c>dense</c> and
/// <c>LayerNorm</c>.
/// </summary>
public sealed class BertOutput : Module<Tensor, Tensor, Tensor>
{
    private Module<Tensor, Tensor> dense; // a Linear, or a LoraLinear wrapping it (see ReplaceProjection)
    private readonly LayerNorm LayerNorm; // Hugging Face's name
    private readonly Dropout dropout;

    /// <summary>Creates the step for inputs of width <paramref name="inputs"/> (C or the intermediate size).</summary>
    public BertOutput(BertConfig config, int inputs, Device? device = null, ScalarType? dtype = null) : base(nameof(BertOutput))
    {
        dense = Linear(inputs, config.HiddenSize, device: device, dtype: dtype);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEpsilon, device: device, dtype: dtype);
        dropout = Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    /// <summary>The projection, by parameter name, for adapters that wrap it (<see cref="Lora"/>).</summary>
    internal IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections => [(nameof(dense), dense)];

    /// <summary>Replaces projection <paramref name="name"/> (only <c>dense</c>) under the same name.</summary>
    internal void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        if (name != nameof(dense)) throw new ArgumentException($"BertOutput has no projection '{name}'.", nameof(name));
        dense = projection;
        Lora.Reregister(this, name, projection);
    }

    /// <summary>Maps the branch output <paramref name="hidden"/> (B, T, in) and the residual <paramref name="residual"/> (B, T, C) to (B, T, C).</summary>
    public override Tensor forward(Tensor hidden, Tensor residual) =>
        LayerNorm.forward(dropout.forward(MixedPrecision.Project(dense, hidden)) + residual); // (B, T, C)
}
