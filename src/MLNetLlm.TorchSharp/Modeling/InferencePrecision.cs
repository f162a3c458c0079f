using TorchSharp;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Puts a model that is served (not trained) into the precision its transformer's options ask for, once, when the
/// transformer is made: <see cref="Precision.Bf16"/> converts every parameter to bfloat16, so prefill, cached generation
/// and batched scoring run bf16 products without casting weights at each call.
/// </summary>
/// <remarks>
/// A model narrower than <see cref="MinimumBf16Width"/> stays fp32: its products are too small for the bf16 kernels to
/// pay for their conversions, and a step is mostly per-operation overhead (see docs/benchmarks.md, "precision").
/// </remarks>
internal static class InferencePrecision
{
    /// <summary>The narrowest hidden size served in bf16; narrower models stay fp32.</summary>
    public const int MinimumBf16Width = 256;

    /// <summary>The precision a model of <paramref name="width"/> is served in when <paramref name="requested"/> is asked for.</summary>
    public static Precision Effective(Precision requested, int width) =>
        requested == Precision.Bf16 && width >= MinimumBf16Width ? Precision.Bf16 : Precision.Fp32;

    /// <summary>Converts <paramref name="model"/> in place to the <see cref="Effective"/> precision (never back from bf16
    /// to fp32: a bf16 model was made so on purpose) and gives that precision.</summary>
    public static Precision Apply(nn.Module model, Precision requested, int width)
    {
        var precision = Effective(requested, width);
        if (precision == Precision.Bf16) model.to(ScalarType.BFloat16);
        return precision;
    }
}
