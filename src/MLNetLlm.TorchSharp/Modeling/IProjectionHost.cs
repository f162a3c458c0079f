using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// A module holding linear projections that adapters may wrap in place (<see cref="Lora"/>): an attention's
/// query/key/value and output projections, an MLP's two layers.
/// </summary>
public interface IProjectionHost
{
    /// <summary>The projections, by their parameter name in this module: a <c>Linear</c>, or an adapter wrapping one.</summary>
    IEnumerable<(string Name, Module<Tensor, Tensor> Projection)> Projections { get; }

    /// <summary>Puts <paramref name="projection"/> in place of projection <paramref name="name"/>, under the same name,
    /// so the parameter names stay put.</summary>
    /// <exception cref="ArgumentException">The module has no projection of that name.</exception>
    void ReplaceProjection(string name, Module<Tensor, Tensor> projection);
}
