using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Persistence;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// AdamW (Loshchilov and Hutter) with decoupled weight decay on parameters of two or more dimensions only (weights
/// and embeddings; biases and LayerNorm gains are not decayed), as nanoGPT's <c>configure_optimizers</c>. Its moments
/// live outside any dispose scope and are freed by <see cref="Dispose"/>; <see cref="Save"/>/<see cref="Load"/> move
/// them through safetensors so a resumed run continues bit for bit.
/// </summary>
internal sealed class AdamW : IDisposable
{
    private readonly List<Slot> slots;
    private readonly double beta1, beta2, epsilon, weightDecay;

    public AdamW(IEnumerable<(string Name, Parameter Parameter)> parameters, TrainingOptions options)
    {
        beta1 = options.Beta1;
        beta2 = options.Beta2;
        epsilon = options.AdamEpsilon;
        weightDecay = options.WeightDecay;
        slots = parameters
            .Where(p => p.Parameter.requires_grad)
            .Select(p => new Slot(p.Name, p.Parameter, p.Parameter.dim() >= 2, Moment(p.Parameter), Moment(p.Parameter)))
            .ToList();
    }

    /// <summary>Optimizer steps taken (the bias corrections' exponent).</summary>
    public long StepCount { get; private set; }

    /// <summary>The trained parameters.</summary>
    public IEnumerable<Parameter> Parameters => slots.Select(s => s.Parameter);

    /// <summary>Names of the parameters that get weight decay.</summary>
    public IEnumerable<string> Decayed => slots.Where(s => s.Decay).Select(s => s.Name);

    /// <summary>Clears every gradient.</summary>
    public void ZeroGrad()
    {
        using var scope = NewDisposeScope(); // TorchSharp's in-place ops hand back new handles too
        foreach (var slot in slots) slot.Parameter.grad?.zero_();
    }

    /// <summary>Global L2 norm of the gradients, scaled down to <paramref name="maxNorm"/> when above it (when given).</summary>
    public double ClipGradients(double? maxNorm)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var grads = slots.Select(s => s.Parameter.grad).Where(g => g is not null).Select(g => g!).ToList();
        if (grads.Count == 0) return 0;
        var norm = stack(grads.Select(g => g.norm()).ToArray()).norm().item<float>();
        if (maxNorm is { } max && norm > max && float.IsFinite(norm))
        {
            double factor = max / (norm + 1e-6);
            foreach (var grad in grads) grad.mul_(factor);
        }
        return norm;
    }

    /// <summary>One AdamW update of every parameter that has a gradient, at learning rate <paramref name="learningRate"/>.</summary>
    public void Step(double learningRate)
    {
        StepCount++;
        double correction1 = 1 - Math.Pow(beta1, StepCount);
        double correction2Root = Math.Sqrt(1 - Math.Pow(beta2, StepCount));
        using var noGrad = no_grad();
        foreach (var slot in slots)
        {
            using var scope = NewDisposeScope();
            var grad = slot.Parameter.grad;
            if (grad is null) continue;
            if (slot.Decay && weightDecay > 0) slot.Parameter.mul_(1 - learningRate * weightDecay);
            slot.ExpAvg.mul_(beta1).add_(grad, alpha: 1 - beta1);
            slot.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, value: 1 - beta2);
            // p -= lr/c1 · m / (√v/√c2 + ε), written as lr·√c2/c1 · m / (√v + ε·√c2): one pass over v fewer.
            var denominator = slot.ExpAvgSq.sqrt().add_(epsilon * correction2Root);
            slot.Parameter.addcdiv_(slot.ExpAvg, denominator, value: -learningRate * correction2Root / correction1);
        }
    }

    /// <summary>Writes both moments of every parameter to a safetensors file (<c>exp_avg.{name}</c>, <c>exp_avg_sq.{name}</c>).</summary>
    public void Save(string path)
    {
        var entries = slots.SelectMany(s => new[]
        {
            TorchSafetensors.Entry("exp_avg." + s.Name, s.ExpAvg, SafetensorsDType.F32, transposed: false),
            TorchSafetensors.Entry("exp_avg_sq." + s.Name, s.ExpAvgSq, SafetensorsDType.F32, transposed: false),
        }).ToList();
        SafetensorsWriter.Write(path, entries, new Dictionary<string, string> { ["format"] = "mlnetllm-adamw", ["step"] = StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    /// <summary>Reads moments written by <see cref="Save"/>; checks every name and shape before copying any.</summary>
    /// <exception cref="InvalidDataException">A moment is missing, has another shape, or the file holds extra tensors.</exception>
    public void Load(string path, long stepCount)
    {
        using var file = SafetensorsReader.Open(path);
        var plan = new List<(Tensor Target, SafetensorsTensorInfo Stored)>();
        foreach (var slot in slots)
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

    public void Dispose()
    {
        foreach (var slot in slots)
        {
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
        slots.Clear();
    }

    // The moments outlive any dispose scope the optimizer is built in.
    private static Tensor Moment(Parameter parameter)
    {
        using var noGrad = no_grad();
        return zeros_like(parameter).DetachFromDisposeScope();
    }

    private sealed record Slot(string Name, Parameter Parameter, bool Decay, Tensor ExpAvg, Tensor ExpAvgSq);
}
