using System.Globalization;
using System.Runtime.InteropServices;
using MLNetLlm.Persistence;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// The trained LoRA adapters of a model, apart from its weights: a few hundred kilobytes where the model is megabytes.
/// Taken from a model that carries adapters (<see cref="Capture"/>), saved as one safetensors file, and folded into
/// the same base model later (<see cref="MergeInto"/>), which then computes what the tuned model did.
/// </summary>
/// <remarks>
/// The file holds every <c>lora_A</c> and <c>lora_B</c> under its parameter name, and in its metadata the rank, alpha
/// and a fingerprint of the base weights the adapters were trained on, so they are never folded into another model.
/// </remarks>
public sealed class LoraAdapter
{
    /// <summary>The file name <see cref="Save"/> writes in its folder.</summary>
    public const string FileName = "adapter.safetensors";

    private const string Format = "mlnetllm-lora-adapter";
    private readonly Dictionary<string, (float[] Values, long[] Shape)> _tensors;

    private LoraAdapter(int rank, double alpha, string baseFingerprint, Dictionary<string, (float[] Values, long[] Shape)> tensors)
    {
        Rank = rank;
        Alpha = alpha;
        BaseFingerprint = baseFingerprint;
        _tensors = tensors;
    }

    /// <summary>Rank of every adapter.</summary>
    public int Rank { get; }

    /// <summary>Scale numerator: each adapter adds (alpha / rank)·B·A to its weight.</summary>
    public double Alpha { get; }

    /// <summary>A hash of the adapted base weights (FNV-1a of their float bits): the model the adapters belong to.</summary>
    public string BaseFingerprint { get; }

    /// <summary>How many numbers the adapters hold.</summary>
    public long ParameterCount => _tensors.Values.Sum(t => (long)t.Values.Length);

    /// <summary>Copies the adapters of <paramref name="model"/> (which must have them, not yet merged).</summary>
    /// <exception cref="InvalidOperationException">The model has no LoRA adapters.</exception>
    public static LoraAdapter Capture(ITextBackbone model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var (rank, alpha) = Lora.SettingsOf(model) ?? throw new InvalidOperationException("The model has no LoRA adapters to capture.");
        var parameters = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        var tensors = new Dictionary<string, (float[], long[])>(StringComparer.Ordinal);
        foreach (var (name, parameter) in parameters)
            if (Lora.IsAdapter(name))
                tensors[name] = (Floats(parameter), parameter.shape);
        return new LoraAdapter(rank, alpha, Fingerprint(parameters, tensors.Keys), tensors);
    }

    /// <summary>Writes <see cref="FileName"/> into <paramref name="folder"/> (created when missing).</summary>
    public void Save(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        var entries = _tensors.OrderBy(t => t.Key, StringComparer.Ordinal)
            .Select(t => SafetensorsEntry.FromSingles(t.Key, t.Value.Values, t.Value.Shape)).ToList();
        SafetensorsWriter.Write(Path.Combine(folder, FileName), entries, new Dictionary<string, string>
        {
            ["format"] = Format,
            ["rank"] = Rank.ToString(CultureInfo.InvariantCulture),
            ["alpha"] = Alpha.ToString("R", CultureInfo.InvariantCulture),
            ["base_fingerprint"] = BaseFingerprint,
        });
    }

    /// <summary>Reads what <see cref="Save"/> wrote in <paramref name="folder"/>.</summary>
    /// <exception cref="FileNotFoundException">The folder has no <see cref="FileName"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a LoRA adapter, or its rank, alpha or tensors are wrong.</exception>
    public static LoraAdapter Load(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no LoRA adapter ({FileName}) in {Path.GetFullPath(folder)}.", path);
        using var file = SafetensorsReader.Open(path);
        if (!file.Metadata.TryGetValue("format", out var format) || format != Format)
            throw new InvalidDataException($"{path} is not a LoRA adapter (its metadata has no format '{Format}').");
        if (!file.Metadata.TryGetValue("rank", out var rankText) || !int.TryParse(rankText, NumberStyles.None, CultureInfo.InvariantCulture, out int rank) || rank < 1)
            throw new InvalidDataException($"{path} has no valid rank in its metadata.");
        if (!file.Metadata.TryGetValue("alpha", out var alphaText) || !double.TryParse(alphaText, NumberStyles.Float, CultureInfo.InvariantCulture, out double alpha) || !(alpha > 0) || double.IsInfinity(alpha))
            throw new InvalidDataException($"{path} has no valid alpha in its metadata.");
        if (!file.Metadata.TryGetValue("base_fingerprint", out var fingerprint) || fingerprint.Length == 0)
            throw new InvalidDataException($"{path} does not say which base model it belongs to (no base_fingerprint).");
        var tensors = new Dictionary<string, (float[], long[])>(StringComparer.Ordinal);
        foreach (var info in file.Tensors)
        {
            if (!Lora.IsAdapter(info.Name) || info.Shape.Count != 2 || (info.Name.EndsWith(".lora_A", StringComparison.Ordinal) ? info.Shape[0] : info.Shape[1]) != rank)
                throw new InvalidDataException($"{path} holds '{info.Name}' of shape {SafetensorsTensorInfo.FormatShape(info.Shape)}, which is not a rank-{rank} LoRA adapter.");
            var values = new float[checked((int)info.ElementCount)];
            SafetensorsFloats.ToSingle(file.GetBytes(info), info.DType, values);
            tensors[info.Name] = (values, info.Shape.ToArray());
        }
        if (tensors.Count == 0) throw new InvalidDataException($"{path} holds no adapters.");
        return new LoraAdapter(rank, alpha, fingerprint, tensors);
    }

    /// <summary>
    /// Folds the adapters into <paramref name="model"/> (W += (alpha / rank)·B·A), which must be the base model they were
    /// trained on. On any mismatch the model is left as it was.
    /// </summary>
    /// <exception cref="InvalidOperationException">The model already carries adapters.</exception>
    /// <exception cref="InvalidDataException">The model is another one than the adapters' base (another shape or other weights).</exception>
    public void MergeInto(ITextBackbone model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Lora.Apply(model, Rank, Alpha, seed: 0);
        try
        {
            var parameters = model.Module.named_parameters().ToDictionary(p => p.name, p => p.parameter);
            var slots = parameters.Where(p => Lora.IsAdapter(p.Key)).ToList();
            if (slots.Count != _tensors.Count)
                throw new InvalidDataException($"The adapters cover {_tensors.Count} matrices, the model has {slots.Count} to adapt: it is another architecture than their base model.");
            foreach (var (name, slot) in slots)
                if (!_tensors.TryGetValue(name, out var saved) || !saved.Shape.SequenceEqual(slot.shape))
                    throw new InvalidDataException($"The model's '{name}' has shape {SafetensorsTensorInfo.FormatShape(slot.shape)}, which the adapters do not hold: it is another architecture than their base model.");
            if (Fingerprint(parameters, _tensors.Keys) != BaseFingerprint)
                throw new InvalidDataException("The model's weights are not the ones the adapters were trained on (base fingerprint differs): fold them into their own base model.");
            using var noGrad = no_grad();
            foreach (var (name, slot) in slots)
            {
                var (values, shape) = _tensors[name];
                using var source = tensor(values, shape, slot.dtype, slot.device);
                slot.copy_(source);
            }
        }
        catch
        {
            using (no_grad())
                foreach (var (name, parameter) in model.Module.named_parameters())
                    if (name.EndsWith(".lora_B", StringComparison.Ordinal)) parameter.zero_(); // B = 0: merging adds nothing
            Lora.Merge(model);
            throw;
        }
        Lora.Merge(model);
    }

    private static float[] Floats(Tensor parameter)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        return parameter.detach().to(ScalarType.Float32).cpu().contiguous().data<float>().ToArray();
    }

    // FNV-1a over the bits of the adapted base weights, in name order: the same weights give the same text.
    private static string Fingerprint(Dictionary<string, global::TorchSharp.Modules.Parameter> parameters, IEnumerable<string> adapterNames)
    {
        ulong hash = 14695981039346656037;
        foreach (var weightName in adapterNames.Select(n => n[..n.LastIndexOf('.')] + ".weight").Distinct().Order(StringComparer.Ordinal))
        {
            if (!parameters.TryGetValue(weightName, out var weight)) throw new InvalidDataException($"The model has no '{weightName}' beside its adapters.");
            foreach (uint bits in MemoryMarshal.Cast<float, uint>(Floats(weight)))
                hash = (hash ^ bits) * 1099511628211;
        }
        return hash.ToString("x16", CultureInfo.InvariantCulture);
    }
}
