using System.Globalization;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// A copy of the trained parameters at the step of the lowest validation loss so far, kept in memory (only the
/// trainable ones: frozen parameters never change), put back into the model at the end of a run
/// (<see cref="TrainingOptions.RestoreBestWeights"/>). Checkpoints carry it as <c>best_weights.safetensors</c>, so a
/// resumed run still ends at the best weights of the whole run.
/// </summary>
internal sealed class BestWeights : IDisposable
{
    public const string FileName = "best_weights.safetensors";
    private const string Format = "mlnetllm-best-weights";

    private readonly List<(string Name, Parameter Parameter)> _trained;
    private List<Tensor>? _copies;

    public BestWeights(nn.Module model)
    {
        _trained = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => (p.name, p.parameter)).ToList();
    }

    /// <summary>The step the copy was taken at; null before the first <see cref="Capture"/>.</summary>
    public long? Step { get; private set; }

    /// <summary>Copies the trained parameters as they are now (reusing the buffers of the previous copy).</summary>
    public void Capture(long step)
    {
        using var noGrad = no_grad();
        using var scope = NewDisposeScope(); // in-place ops hand back new handles
        _copies ??= _trained.Select(p => empty_like(p.Parameter).DetachFromDisposeScope()).ToList();
        for (int i = 0; i < _trained.Count; i++) _copies[i].copy_(_trained[i].Parameter);
        Step = step;
    }

    /// <summary>Copies the kept weights back into the model; false when nothing was captured.</summary>
    public bool Restore()
    {
        if (_copies is null) return false;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        for (int i = 0; i < _trained.Count; i++) _trained[i].Parameter.copy_(_copies[i]);
        return true;
    }

    /// <summary>Writes the copy into <paramref name="folder"/>; nothing when there is none yet.</summary>
    public void Save(string folder)
    {
        if (_copies is null || Step is not { } step) return;
        var entries = _trained.Select((p, i) => TorchSafetensors.Entry(p.Name, _copies[i], SafetensorsDType.F32, transposed: false)).ToList();
        SafetensorsWriter.Write(Path.Combine(folder, FileName), entries,
            new Dictionary<string, string> { ["format"] = Format, ["step"] = step.ToString(CultureInfo.InvariantCulture) });
    }

    /// <summary>Reads the copy saved in checkpoint <paramref name="folder"/>, when it has one.</summary>
    /// <exception cref="InvalidDataException">The file does not hold exactly this model's trained parameters.</exception>
    public void Load(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) return;
        using var file = SafetensorsReader.Open(path);
        if (!file.Metadata.TryGetValue("step", out var stepText) || !long.TryParse(stepText, NumberStyles.None, CultureInfo.InvariantCulture, out long step))
            throw new InvalidDataException($"{path} has no step in its metadata: it is not a best-weights file.");
        var plan = new List<SafetensorsTensorInfo>();
        foreach (var (name, parameter) in _trained)
        {
            if (!file.TryGetTensor(name, out var stored) || !stored.Shape.SequenceEqual(parameter.shape))
                throw new InvalidDataException($"{path} has no '{name}' of shape {SafetensorsTensorInfo.FormatShape(parameter.shape)}: it was saved for another model or another choice of trained parameters.");
            plan.Add(stored);
        }
        if (file.Tensors.Count != plan.Count)
            throw new InvalidDataException($"{path} has {file.Tensors.Count} tensors; this run trains {plan.Count} parameters.");
        _copies ??= _trained.Select(p => empty_like(p.Parameter).DetachFromDisposeScope()).ToList();
        for (int i = 0; i < plan.Count; i++) TorchSafetensors.CopyInto(_copies[i], file, plan[i], transposed: false);
        Step = step;
    }

    public void Dispose()
    {
        if (_copies is null) return;
        foreach (var copy in _copies) copy.Dispose();
        _copies = null;
    }
}
