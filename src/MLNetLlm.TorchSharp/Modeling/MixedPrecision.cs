using TorchSharp.Modules;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// The one place where mixed-precision training casts (TorchSharp has no autocast): every projection of every module
/// goes through <see cref="Project"/> or <see cref="Linear"/>. Inside a <see cref="Use(Precision)"/> scope of
/// <see cref="Precision.Bf16"/>, a product of fp32 inputs casts its input, weight and bias to bf16 and returns bf16
/// (autocast's rule for <c>linear</c>); the fp32 weights keep their gradients in fp32, since autograd casts the bf16
/// gradient back through the cast. Outside a scope, or on a model whose weights are already bf16, nothing is cast.
/// </summary>
/// <remarks>
/// The rest follows from type promotion, as under autocast: a residual sum of the fp32 stream and a bf16 branch is
/// fp32, so layer norms, the residual stream, pooling and the losses stay fp32; attention runs on the bf16 q, k, v
/// (libtorch's fused kernel accumulates in fp32). The scope is per thread: a training step runs on one thread.
/// Serving uses the same point with ready-made bf16 copies of the weights (<see cref="InferencePrecision"/>).
/// </remarks>
internal static class MixedPrecision
{
    [ThreadStatic] private static ScalarType? _computeType;
    [ThreadStatic] private static IReadOnlyDictionary<Tensor, Tensor>? _copies;
    [ThreadStatic] private static long _reducedProducts;

    /// <summary>The type products are computed in on this thread, or null for the weights' own.</summary>
    public static ScalarType? ComputeType => _computeType;

    /// <summary>Products computed in a reduced type (bf16) on this thread so far: how tests see which path a pass took.</summary>
    public static long ReducedProducts => _reducedProducts;

    /// <summary>Computes this thread's projections in <paramref name="precision"/> until the result is disposed; scopes nest.</summary>
    public static Scope Use(Precision precision) => new(precision == Precision.Bf16 ? ScalarType.BFloat16 : null, null);

    /// <summary>A scope that keeps this thread's compute type and copies as they are.</summary>
    public static Scope Unchanged() => new(_computeType, _copies);

    /// <summary>As <see cref="Use(Precision)"/>, taking each fp32 weight's ready-made copy in the compute type from
    /// <paramref name="copies"/> (keyed by the weight tensor itself) instead of casting it at every call.</summary>
    public static Scope Use(Precision precision, IReadOnlyDictionary<Tensor, Tensor> copies) =>
        new(precision == Precision.Bf16 ? ScalarType.BFloat16 : null, copies);

    /// <summary><paramref name="projection"/> (a <c>Linear</c>, an adapter, any module) applied to <paramref name="x"/>,
    /// in the scope's precision.</summary>
    public static Tensor Project(Module<Tensor, Tensor> projection, Tensor x) =>
        projection is global::TorchSharp.Modules.Linear linear ? Linear(x, linear.weight!, linear.bias) : projection.forward(x);

    /// <summary><c>x·Wᵀ + b</c>, in the scope's precision when <paramref name="weight"/> is fp32 (<paramref name="x"/> may
    /// be fp32, or already bf16 as the output of attention or of another projection).</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias)
    {
        if (_computeType is not { } compute || weight.dtype != ScalarType.Float32)
        {
            if (weight.dtype is ScalarType.BFloat16 or ScalarType.Float16) _reducedProducts++;
            return functional.linear(x, weight, bias);
        }
        _reducedProducts++;
        var w = _copies is not null && _copies.TryGetValue(weight, out var copy) ? copy : weight.to(compute);
        return functional.linear(x.to(compute), w, bias?.to(compute));
    }

    /// <summary>Puts the previous compute type back on dispose.</summary>
    public readonly struct Scope : IDisposable
    {
        private readonly ScalarType? _previous;
        private readonly IReadOnlyDictionary<Tensor, Tensor>? _previousCopies;

        internal Scope(ScalarType? computeType, IReadOnlyDictionary<Tensor, Tensor>? copies)
        {
            (_previous, _previousCopies) = (_computeType, _copies);
            (_computeType, _copies) = (computeType, copies);
        }

        /// <summary>Restores the compute type (and weight copies) in force before this scope.</summary>
        public void Dispose() => (_computeType, _copies) = (_previous, _previousCopies);
    }
}
