using MLNetLlm.Persistence;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>Where one model parameter's values sit in a checkpoint, and whether they are stored transposed.</summary>
/// <param name="Name">The tensor's name in the checkpoint.</param>
/// <param name="File">The file that holds it.</param>
/// <param name="Tensor">Its header entry.</param>
/// <param name="Transposed">Whether the checkpoint stores the 2-D transpose of the parameter (Hugging Face's Conv1D).</param>
internal sealed record CheckpointTensor(string Name, SafetensorsReader File, SafetensorsTensorInfo Tensor, bool Transposed);

/// <summary>
/// Loads a model's parameters from a checkpoint in two passes: first every name, shape and dtype is checked, naming the
/// first mismatch; only then are values copied, so a checkpoint that does not fit leaves the model untouched. The loaders
/// run the first pass on the shapes alone before they allocate the model (<see cref="Check"/>).
/// </summary>
internal static class ParameterLoader
{
    /// <summary>
    /// Checks a checkpoint against a model's parameter names and shapes only (for instance
    /// <see cref="Modeling.GptModel.ParameterShapes"/>), so a checkpoint that does not fit its config is refused before the model is allocated.
    /// </summary>
    /// <exception cref="InvalidDataException">As <see cref="Load"/>.</exception>
    public static void Check(
        IEnumerable<(string Name, long[] Shape)> parameters,
        Func<string, CheckpointTensor?> locate,
        Func<IReadOnlySet<string>, IEnumerable<string>> leftover,
        string source) =>
        Plan(parameters, locate, leftover, source);

    /// <param name="parameters">The model's parameters by state-dict name, in the model's order.</param>
    /// <param name="locate">Finds a parameter in the checkpoint; null when it is missing.</param>
    /// <param name="leftover">Checkpoint tensors that no parameter used and that are not known to be ignorable.</param>
    /// <param name="source">The checkpoint, for messages.</param>
    /// <exception cref="InvalidDataException">
    /// A parameter is missing, has another shape, is not a float tensor, or the checkpoint holds a tensor the model
    /// does not have.
    /// </exception>
    public static void Load(
        IEnumerable<(string Name, Tensor Parameter)> parameters,
        Func<string, CheckpointTensor?> locate,
        Func<IReadOnlySet<string>, IEnumerable<string>> leftover,
        string source)
    {
        var tensors = parameters.ToList();
        var plan = Plan(tensors.Select(p => (p.Name, p.Parameter.shape)), locate, leftover, source);
        for (int i = 0; i < tensors.Count; i++)
            TorchSafetensors.CopyInto(tensors[i].Parameter, plan[i].File, plan[i].Tensor, plan[i].Transposed);
    }

    private static List<CheckpointTensor> Plan(
        IEnumerable<(string Name, long[] Shape)> parameters,
        Func<string, CheckpointTensor?> locate,
        Func<IReadOnlySet<string>, IEnumerable<string>> leftover,
        string source)
    {
        var plan = new List<CheckpointTensor>();
        var used = new HashSet<string>();
        foreach (var (name, shape) in parameters)
        {
            var stored = locate(name)
                ?? throw new InvalidDataException($"Checkpoint {source} has no tensor for the model's parameter '{name}'.");
            var expected = stored.Transposed ? [shape[1], shape[0]] : shape;
            if (!stored.Tensor.Shape.SequenceEqual(expected))
                throw new InvalidDataException(
                    $"{stored.Name} has shape {stored.Tensor.ShapeText} in the checkpoint, the model expects {SafetensorsTensorInfo.FormatShape(expected)}" +
                    (stored.Transposed ? $" (stored transposed, as Conv1D; the model's parameter '{name}' is {SafetensorsTensorInfo.FormatShape(shape)})." : "."));
            if (!stored.Tensor.DType.IsConvertibleFloat())
                throw new InvalidDataException($"{stored.Name} has dtype {stored.Tensor.DType} in the checkpoint, the model expects a float tensor (F32, F16, BF16 or F64).");
            used.Add(stored.Name);
            plan.Add(stored);
        }

        var unexpected = leftover(used).FirstOrDefault();
        if (unexpected is not null)
            throw new InvalidDataException($"Checkpoint {source} has tensor '{unexpected}', which the model does not have.");
        return plan;
    }
}
