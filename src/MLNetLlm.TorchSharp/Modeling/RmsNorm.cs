using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Root-mean-square normalisation: <c>weight · x / √(mean(x²) + ε)</c> over the last dimension, computed in float32
/// whatever the parameters' type (as Hugging Face's Llama does). No bias, no mean subtraction.
/// </summary>
public sealed class RmsNorm : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly double _epsilon;

    /// <summary>A norm over <paramref name="size"/> features, weight initialised to one.</summary>
    public RmsNorm(int size, double epsilon, Device? device = null, ScalarType? dtype = null) : base(nameof(RmsNorm))
    {
        weight = Parameter(ones([size], dtype ?? ScalarType.Float32, device));
        _epsilon = epsilon;
        RegisterComponents();
    }

    /// <summary>The device of the weight.</summary>
    internal Device Device => weight.device;

    /// <summary>The weight's element type.</summary>
    internal ScalarType Dtype => weight.dtype;

    /// <summary>Normalises (…, size) to (…, size) in <paramref name="x"/>'s type.</summary>
    public override Tensor forward(Tensor x)
    {
        var x32 = x.to(ScalarType.Float32);
        var normalised = x32 * (x32.pow(2).mean([-1], keepdim: true) + _epsilon).rsqrt(); // (…, size)
        return weight * normalised.to(x.dtype);
    }
}
