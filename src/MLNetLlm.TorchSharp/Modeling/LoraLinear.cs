using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// A linear layer with a low-rank adapter (LoRA, Hu et al. 2021): <c>y = x·Wᵀ + b + (alpha / rank)·(x·Aᵀ)·Bᵀ</c>.
/// It takes the place of the <see cref="global::TorchSharp.Modules.Linear"/> it wraps under the same name and keeps that layer's tensors, so the
/// base parameters are still <c>weight</c> [out, in] and <c>bias</c> [out]; the adapters are <c>lora_A</c> [rank, in]
/// and <c>lora_B</c> [out, rank].
/// </summary>
/// <remarks>
/// <c>lora_B</c> starts at zero, so a freshly wrapped layer computes exactly what the base layer did; <c>lora_A</c>
/// starts from N(0, 1/in), which keeps <c>x·Aᵀ</c> at the scale of <c>x</c>. Freezing the base weights is the
/// trainer's job (it sets <c>requires_grad</c>), not this module's.
/// </remarks>
public sealed class LoraLinear : Module<Tensor, Tensor>
{
    private readonly Parameter weight;
    private readonly Parameter? bias;
    private readonly Parameter lora_A;
    private readonly Parameter lora_B;

    /// <summary>Wraps <paramref name="linear"/>, taking over its weight and bias tensors.</summary>
    /// <param name="linear">The layer to adapt.</param>
    /// <param name="rank">Rank r of the adapter, in [1, min(in, out)].</param>
    /// <param name="alpha">Scale numerator: the adapter's product is multiplied by alpha / r. Positive.</param>
    /// <param name="generator">Draws <c>lora_A</c>; null draws from torch's global generator.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rank"/> or <paramref name="alpha"/> is out of range.</exception>
    public LoraLinear(Linear linear, int rank, double alpha, Generator? generator = null) : base(nameof(LoraLinear))
    {
        ArgumentNullException.ThrowIfNull(linear);
        weight = linear.weight!;
        bias = linear.bias;
        long outputs = weight.shape[0], inputs = weight.shape[1];
        if (rank < 1 || rank > Math.Min(inputs, outputs))
            throw new ArgumentOutOfRangeException(nameof(rank), rank, $"The LoRA rank must be in [1, {Math.Min(inputs, outputs)}] for a {inputs} → {outputs} layer.");
        if (!(alpha > 0) || double.IsInfinity(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "The LoRA alpha must be a positive finite number.");
        Rank = rank;
        Alpha = alpha;
        using (no_grad())
        {
            lora_A = new Parameter(empty(rank, inputs, weight.dtype, weight.device).normal_(0.0, 1.0 / Math.Sqrt(inputs), generator));
            lora_B = new Parameter(zeros(outputs, rank, weight.dtype, weight.device));
        }
        RegisterComponents();
    }

    /// <summary>The adapter's rank r.</summary>
    public int Rank { get; }

    /// <summary>The adapter's alpha; the product B·A is scaled by <see cref="Scale"/> = alpha / r.</summary>
    public double Alpha { get; }

    /// <summary>alpha / r.</summary>
    public double Scale => Alpha / Rank;

    /// <summary>The frozen base weight [out, in].</summary>
    public Parameter Weight => weight;

    /// <summary>The base bias [out], or null.</summary>
    public Parameter? Bias => bias;

    /// <summary>The adapter's down-projection A [rank, in].</summary>
    public Parameter LoraA => lora_A;

    /// <summary>The adapter's up-projection B [out, rank].</summary>
    public Parameter LoraB => lora_B;

    /// <summary>Maps (…, in) to (…, out).</summary>
    public override Tensor forward(Tensor x)
    {
        var adapted = MixedPrecision.Linear(MixedPrecision.Linear(x, lora_A, null), lora_B, null); // (…, r) then (…, out)
        return MixedPrecision.Linear(x, weight, bias) + adapted * Scale;
    }

    /// <summary>
    /// A plain <see cref="global::TorchSharp.Modules.Linear"/> whose weight is W + (alpha / r)·B·A (the base weight tensor, updated in place) and
    /// whose bias is the base bias: the same function without the adapter. This module must not be used afterwards.
    /// </summary>
    public Linear Merge()
    {
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            weight.add_(lora_B.matmul(lora_A), alpha: Scale);
        }
        var merged = Linear(weight, bias); // takes the tensors as they are: no initialisation, no draw from the generator
        lora_A.Dispose();
        lora_B.Dispose();
        return merged;
    }
}
