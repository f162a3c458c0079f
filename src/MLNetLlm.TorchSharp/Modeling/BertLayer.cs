using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// One post-LayerNorm BERT layer: <c>a = LayerNorm(x + attention(x))</c>, then <c>LayerNorm(a + output(gelu(intermediate(a))))</c>.
/// Sub-modules carry Hugging Face's names: <c>attention.self</c>, <c>attention.output</c>, <c>intermediate</c>, <c>output</c>.
/// </summary>
public sealed class BertLayer : Module<Tensor, Tensor>, IProjectionHost
{
    private readonly BertAttention attention;
    private readonly BertIntermediate intermediate;
    private readonly BertOutput output;

    /// <summary>Creates a layer of a model shaped by <paramref name="config"/>.</summary>
    public BertLayer(BertConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(BertLayer))
    {
        attention = new BertAttention(config, device, dtype);
        intermediate = new BertIntermediate(config, device, dtype);
        output = new BertOutput(config, config.IntermediateSize, device, dtype);
        RegisterComponents();
    }

    /// <summary>The attention half (<c>attention</c>).</summary>
    public BertAttention Attention => attention;

    /// <summary>
    /// The layer's six linear projections, by their path under the layer: <c>attention.self.query</c>,
    /// <c>attention.self.key</c>, <c>attention.self.value</c>, <c>attention.output.dense</c>,
    /// <c>intermediate.dense</c>, <c>output.dense</c>; each a Linear or an adapter wrapping one (<see cref="LoraLinear"/>).
    /// </summary>
    public IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections =>
        attention.Self.Projections.Select(p => ("attention.self." + p.Name, p.Projection))
            .Concat(attention.Output.Projections.Select(p => ("attention.output." + p.Name, p.Projection)))
            .Concat(intermediate.Projections.Select(p => ("intermediate." + p.Name, p.Projection)))
            .Concat(output.Projections.Select(p => ("output." + p.Name, p.Projection)));

    /// <summary>Replaces the projection at <paramref name="name"/> (a path of <see cref="Projections"/>), keeping parameter names.</summary>
    public void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        int dot = name.LastIndexOf('.');
        string owner = dot < 0 ? "" : name[..dot], leaf = name[(dot + 1)..];
        switch (owner)
        {
            case "attention.self": attention.Self.ReplaceProjection(leaf, projection); break;
            case "attention.output": attention.Output.ReplaceProjection(leaf, projection); break;
            case "intermediate": intermediate.ReplaceProjection(leaf, projection); break;
            case "output": output.ReplaceProjection(leaf, projection); break;
            default: throw new ArgumentException($"BertLayer has no projection '{name}'.", nameof(name));
        }
    }

    /// <summary>Maps (B, T, C) to (B, T, C) with no padding.</summary>
    public override Tensor forward(Tensor x) => Forward(x, null);

    /// <summary>Maps (B, T, C) to (B, T, C); <paramref name="mask"/> as for <see cref="BertSelfAttention"/>.</summary>
    internal Tensor Forward(Tensor x, Tensor? mask)
    {
        var a = attention.Forward(x, mask);                  // (B, T, C)
        return output.forward(intermediate.forward(a), a);   // (B, T, C)
    }
}
