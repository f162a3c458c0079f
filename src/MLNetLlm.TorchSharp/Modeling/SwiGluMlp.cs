using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The Llama feed-forward half: <c>down_proj(silu(gate_proj(x)) · up_proj(x))</c>, no biases.</summary>
public sealed class SwiGluMlp : Module<Tensor, Tensor>, IProjectionHost
{
    private Module<Tensor, Tensor> gate_proj; // Linears, or LoraLinears wrapping them (see Lora)
    private Module<Tensor, Tensor> up_proj;
    private Module<Tensor, Tensor> down_proj;

    /// <summary>Creates the MLP for <paramref name="config"/>.</summary>
    public SwiGluMlp(LlamaConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(SwiGluMlp))
    {
        gate_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, device: device, dtype: dtype);
        up_proj = Linear(config.HiddenSize, config.IntermediateSize, hasBias: false, device: device, dtype: dtype);
        down_proj = Linear(config.IntermediateSize, config.HiddenSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    /// <summary>The projections, by parameter name, for adapters that wrap them (<see cref="Lora"/>).</summary>
    public IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections =>
        [(nameof(gate_proj), gate_proj), (nameof(up_proj), up_proj), (nameof(down_proj), down_proj)];

    /// <summary>Replaces projection <paramref name="name"/> under the same name, so parameter names stay put.</summary>
    public void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        if (name == nameof(gate_proj)) gate_proj = projection;
        else if (name == nameof(up_proj)) up_proj = projection;
        else if (name == nameof(down_proj)) down_proj = projection;
        else throw new ArgumentException($"SwiGluMlp has no projection '{name}'.", nameof(name));
        Lora.Reregister(this, name, projection);
    }

    /// <summary>Maps (B, T, C) to (B, T, C).</summary>
    public override Tensor forward(Tensor x)
    {
        var hidden = functional.silu(MixedPrecision.Project(gate_proj, x)) * MixedPrecision.Project(up_proj, x); // (B, T, intermediate)
        return MixedPrecision.Project(down_proj, hidden);                                      // (B, T, C)
    }
}
