using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>The feed-forward half of a block: widen 4×, GELU (tanh approximation, as GPT-2), project back, dropout.</summary>
public sealed class Mlp : Module<Tensor, Tensor>, IProjectionHost
{
    private Module<Tensor, Tensor> c_fc; // a Linear, or a LoraLinear wrapping it (see Lora)
    private Module<Tensor, Tensor> c_proj;
    private readonly Dropout dropout;

    /// <summary>Creates the MLP for <paramref name="config"/>.</summary>
    public Mlp(GptConfig config, Device? device = null, ScalarType? dtype = null) : base(nameof(Mlp))
    {
        c_fc = Linear(config.EmbeddingSize, 4 * config.EmbeddingSize, device: device, dtype: dtype);
        c_proj = Linear(4 * config.EmbeddingSize, config.EmbeddingSize, device: device, dtype: dtype);
        dropout = Dropout(config.Dropout);
        RegisterComponents();
    }

    /// <summary>The projections, by parameter name, for adapters that wrap them (<see cref="Lora"/>).</summary>
    public IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections => [(nameof(c_fc), c_fc), (nameof(c_proj), c_proj)];

    /// <summary>Replaces projection <paramref name="name"/> under the same name, so parameter names stay put.</summary>
    public void ReplaceProjection(string name, Module<Tensor, Tensor> projection)
    {
        if (name == nameof(c_fc)) c_fc = projection;
        else if (name == nameof(c_proj)) c_proj = projection;
        else throw new ArgumentException($"Mlp has no projection '{name}'.", nameof(name));
        Lora.Reregister(this, name, projection);
    }

    /// <summary>Maps (B, T, C) to (B, T, C).</summary>
    public override Tensor forward(Tensor x)
    {
        var hidden = functional.gelu(MixedPrecision.Project(c_fc, x), global::TorchSharp.Modules.GELU.Approximate.tanh); // (B, T, 4C)
        return dropout.forward(MixedPrecision.Project(c_proj, hidden));                      // (B, T, C)
    }
}
