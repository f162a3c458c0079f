using System.Globalization;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter) with decoupled weight decay on parameters of two or more dimensions only (weights
/// and embeddings; biases and LayerNorm gains are not decayed), as nanoGPT's <c>configure_optimizers</c>.
/// </summary>
/// <remarks>
/// The parameters are moved into one flat buffer (decayed ones first) and each one's gradient is set to a view of one
/// flat gradient buffer, which autograd accumulates into in place. Zeroing, the gradient norm, clipping and the
/// update are then a handful of large tensor operations instead of several per parameter: per-operation overhead
/// (thread-pool wake-ups, allocations) is what dominates the optimizer on a CPU. The moments are flat too, with
/// per-parameter views for <see cref="Save"/>/<see cref="Load"/>, which move them through safetensors so a resumed run
/// continues bit for bit. Everything lives outside dispose scopes and is freed by <see cref="Dispose"/>, which also
/// drops the gradients.
/// </remarks>
internal sealed class AdamW : IDisposable
{
    private readonly List<Slot> _slots;
    private readonly Tensor _parameters, _gradients, _expAvg, _expAvgSq;
    private readonly long _decayedElements;
    private readonly double _beta1, _beta2, _epsilon, _weightDecay;

    public AdamW(IEnumerable<(string Name, Parameter Parameter)> namedParameters, TrainingOptions options)
    {
        _beta1 = options.Beta1;
        _beta2 = options.Beta2;
        _epsilon = options.AdamEpsilon;
        _weightDecay = options.WeightDecay;
        var trained = namedParameters.Where(p => p.Parameter.requires_grad).OrderByDescending(p => p.Parameter.dim() >= 2).ToList(); // stable: model order within each group
        if (trained.Count == 0) throw new ArgumentException("The model has no trainable parameter.", nameof(namedParameters));
        var first = trained[0].Parameter;
        if (trained.Any(p => p.Parameter.dtype != first.dtype || p.Parameter.device_type != first.device_type || p.Parameter.device_index != first.device_index))
            throw new ArgumentException("Every trained parameter must have the same dtype and device.", nameof(namedParameters));
        _decayedElements = trained.Where(p => p.Parameter.dim() >= 2).Sum(p => p.Parameter.numel());

        using var noGrad = no_grad();
        using (var scope = NewDisposeScope())
        {
            _parameters = cat(trained.Select(p => p.Parameter.detach().reshape(-1)).ToArray()).DetachFromDisposeScope();
        }
        _gradients = zeros_like(_parameters).DetachFromDisposeScope();
        _expAvg = zeros_like(_parameters).DetachFromDisposeScope();
        _expAvgSq = zeros_like(_parameters).DetachFromDisposeScope();
        _slots = new List<Slot>(trained.Count);
        using var handles = NewDisposeScope(); // set_ hands back a new handle
        long offset = 0;
        foreach (var (name, parameter) in trained)
        {
            long count = parameter.numel();
            var shape = parameter.shape;
            using (var view = _parameters.narrow(0, offset, count).view(shape)) parameter.set_(view);
            using (var view = _gradients.narrow(0, offset, count).view(shape)) parameter.grad = view;
            _slots.Add(new Slot(name, parameter, parameter.dim() >= 2,
                _expAvg.narrow(0, offset, count).view(shape).DetachFromDisposeScope(),
                _expAvgSq.narrow(0, offset, count).view(shape).DetachFromDisposeScope()));
            offset += count;
        }
    }

    /// <summary>Optimizer steps taken (the bias corrections' exponent).</summary>
    public long StepCount { get; private set; }

    /// <summary>Names of the parameters that get weight decay.</summary>
    public IEnumerable<string> Decayed => _slots.Where(s => s.Decay).Select(s => s.Name);

    /// <summary>Clears every gradient.</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope(); // TorchSharp's in-place ops hand back new handles too
        _gradients.zero_();
    }

    /// <summary>Global L2 norm of the gradients, scaled down to <paramref name="maxNorm"/> when above it (when given).</summary>
    public double ClipGradients(double? maxNorm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        double norm = _gradients.norm().item<float>();
        if (maxNorm is { } max && norm > max && double.IsFinite(norm)) _gradients.mul_(max / (norm + 1e-6));
        return norm;
    }

    /// <summary>One AdamW update of every parameter at learning rate <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        StepCount++;
        double correction1 = 1 - Math.Pow(_beta1, StepCount);
        double correction2Root = Math.Sqrt(1 - Math.Pow(_beta2, StepCount));
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        if (_weightDecay > 0 && _decayedElements > 0) _parameters.narrow(0, 0, _decayedElements).mul_(1 - learningRate * _weightDecay);
        _expAvg.lerp_(_gradients, 1 - _beta1); // m + (1 - β1)(g - m) = β1·m + (1 - β1)·g, one pass
        _expAvgSq.mul_(_beta2).addcmul_(_gradients, _gradients, value: 1 - _beta2);
        // p -= lr/c1 · m / (√v/√c2 + ε), written as lr·√c2/c1 · m / (√v + ε·√c2): one pass over v fewer.
        var denominator = _expAvgSq.sqrt().add_(_epsilon * correction2Root);
        _parameters.addcdiv_(_expAvg, denominator, value: -learningRate * correction2Root / correction1);
    }

    /// <summary>Writes both moments of every parameter to a safetensors file (<c>exp_avg.{name}</c>, <c>exp_avg_sq.{name}</c>).</summary>
    public void Save(string path)
    {
        var entries = _slots.SelectMany(s => new[]
        {
            TorchSafetensors.Entry("exp_avg." + s.Name, s.ExpAvg, SafetensorsDType.F32, transposed: false),
            TorchSafetensors.Entry("exp_avg_sq." + s.Name, s.ExpAvgSq, SafetensorsDType.F32, transposed: false),
        }).ToList();
        SafetensorsWriter.Write(path, entries, new Dictionary<string, string> { ["format"] = "mlnetllm-adamw", ["step"] = StepCount.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Reads moments written by <see cref="Save"/>; checks every name and shape before copying any.</summary>
    /// <exception cref="InvalidDataException">A moment is missing, has another shape, or the file holds extra tensors.</exception>
    public void Load(string path, long stepCount)
    {
        using var file = SafetensorsReader.Open(path);
        var plan = new List<(Tensor Target, SafetensorsTensorInfo Stored)>();
        foreach (var slot in _slots)
        {
            foreach (var (name, target) in new[] { ("exp_avg." + slot.Name, slot.ExpAvg), ("exp_avg_sq." + slot.Name, slot.ExpAvgSq) })
            {
                if (!file.TryGetTensor(name, out var stored))
                    throw new InvalidDataException($"Optimizer state {path} has no '{name}': it was saved for another model.");
                if (!stored.Shape.SequenceEqual(target.shape) || stored.DType != SafetensorsDType.F32)
                    throw new InvalidDataException($"Optimizer state '{name}' in {path} is {stored.DType} {stored.ShapeText}; the model needs F32 {SafetensorsTensorInfo.FormatShape(target.shape)}.");
                plan.Add((target, stored));
            }
        }
        if (file.Tensors.Count != plan.Count)
            throw new InvalidDataException($"Optimizer state {path} has {file.Tensors.Count} tensors; the model needs {plan.Count}: it was saved for another model.");
        foreach (var (target, stored) in plan) TorchSafetensors.CopyInto(target, file, stored, transposed: false);
        StepCount = stepCount;
    }

    /// <summary>Frees the moments and the gradients; the parameters keep their (flat) storage.</summary>
    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.Parameter.grad = null;
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
        _slots.Clear();
        _parameters.Dispose();
        _gradients.Dispose();
        _expAvg.Dispose();
        _expAvgSq.Dispose();
    }

    private sealed record Slot(string Name, Parameter Parameter, bool Decay, Tensor ExpAvg, Tensor ExpAvgSq);
}
