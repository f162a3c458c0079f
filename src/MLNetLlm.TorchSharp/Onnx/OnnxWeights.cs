using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// The parameters of a torch module turned into graph initializers, each at most once, in the precision the export
/// asks for: float32 as is; float16 stored and cast back to float32 inside the graph, so the graph computes in float32.
/// </summary>
internal sealed class OnnxWeights
{
    private readonly OnnxGraphBuilder _graph;
    private readonly Dictionary<string, Tensor> _parameters;
    private readonly OnnxWeightType _weightType;
    private readonly Dictionary<string, string> _added = new(StringComparer.Ordinal);
    private readonly double? _loraScale;

    /// <param name="graph">The graph the initializers go into.</param>
    /// <param name="parameters">The module's named parameters.</param>
    /// <param name="prefix">Prepended to every name asked for (<c>transformer.</c> for a classifier's GPT).</param>
    /// <param name="weightType">How weights are stored.</param>
    /// <param name="loraScale">alpha / rank of the module's LoRA adapters, folded into the weights they adapt; null without adapters.</param>
    public OnnxWeights(OnnxGraphBuilder graph, IEnumerable<(string Name, Tensor Parameter)> parameters, string prefix, OnnxWeightType weightType, double? loraScale = null)
    {
        _graph = graph;
        _weightType = weightType;
        _loraScale = loraScale;
        Prefix = prefix;
        _parameters = parameters.ToDictionary(p => p.Name, p => p.Parameter, StringComparer.Ordinal);
    }

    public string Prefix { get; }

    public OnnxWeightType WeightType => _weightType;

    public bool Has(string name) => _parameters.ContainsKey(Prefix + name);

    /// <summary>A weight in torch's own layout (a bias, a LayerNorm scale, an embedding table, a [out, in] matrix).</summary>
    public string AsIs(string name) => Add(name, transpose: false);

    /// <summary>A linear layer's [out, in] weight stored as [in, out], the right operand of a MatMul.</summary>
    public string Transposed(string name) => Add(name, transpose: true);

    /// <summary>A linear layer's weight as float32 [in, out] values, for callers that store it their own way (int8).</summary>
    public (float[] Values, long Rows, long Columns) TransposedValues(string name)
    {
        var (values, shape) = Read(name, transpose: true);
        return (values, shape[0], shape[1]);
    }

    private string Add(string name, bool transpose)
    {
        string key = (transpose ? "T:" : "") + name;
        if (_added.TryGetValue(key, out var existing)) return existing;
        var (values, shape) = Read(name, transpose);
        string initializer = Prefix + name + (transpose ? ".T" : "");
        string result = _weightType == OnnxWeightType.Float16
            ? _graph.Cast(_graph.Weight(initializer, [.. values.Select(v => (Half)v)], shape), global::Onnx.TensorProto.Types.DataType.Float)
            : _graph.Weight(initializer, values, shape);
        _added[key] = result;
        return result;
    }

    private (float[] Values, long[] Shape) Read(string name, bool transpose)
    {
        if (!_parameters.TryGetValue(Prefix + name, out var parameter))
            throw new InvalidOperationException($"The model has no parameter '{Prefix + name}' to export.");
        using var scope = NewDisposeScope();
        var tensor = parameter.detach().to(ScalarType.Float32).cpu();
        tensor = WithAdapter(name, tensor);
        if (transpose) tensor = tensor.t();
        tensor = tensor.contiguous();
        return (tensor.data<float>().ToArray(), tensor.shape);
    }

    // A LoRA-adapted linear layer keeps its base weight under its name, with lora_A [r, in] and lora_B [out, r] beside
    // it: the exported weight is W + (alpha / r)·B·A, the function the adapted layer computes.
    private Tensor WithAdapter(string name, Tensor weight)
    {
        if (!name.EndsWith(".weight", StringComparison.Ordinal)) return weight;
        string stem = Prefix + name[..^".weight".Length];
        if (!_parameters.TryGetValue(stem + ".lora_A", out var a) || !_parameters.TryGetValue(stem + ".lora_B", out var b)) return weight;
        double scale = _loraScale ?? throw new InvalidOperationException($"'{stem}' has LoRA adapters but their alpha / rank is unknown: merge them (TextClassifier.MergeLora) before exporting.");
        var delta = b.detach().to(ScalarType.Float32).cpu().matmul(a.detach().to(ScalarType.Float32).cpu()); // (out, in)
        return weight + delta * scale;
    }

    /// <summary>The named parameters of <paramref name="module"/>, or a clear error when it was disposed.</summary>
    /// <exception cref="ObjectDisposedException">The module was disposed (TorchSharp then lists no parameters, or invalid ones).</exception>
    public static List<(string Name, Tensor Parameter)> ParametersOf(global::TorchSharp.torch.nn.Module module, string what)
    {
        var parameters = module.named_parameters().Select(p => (p.name, (Tensor)p.parameter)).ToList();
        if (parameters.Count == 0 || parameters.Any(p => p.Item2.IsInvalid))
            throw new ObjectDisposedException(what, $"The {what} was disposed: its weights are gone, so it cannot be exported. Export it before disposing it.");
        return parameters;
    }

    /// <summary>Refuses weights holding NaN or infinity (a diverged training run): the export would score garbage.</summary>
    public static void CheckFinite(IEnumerable<(string Name, Tensor Parameter)> parameters, string what)
    {
        foreach (var (name, parameter) in parameters)
        {
            using var scope = NewDisposeScope();
            if (!parameter.detach().isfinite().all().item<bool>())
                throw new InvalidOperationException($"The {what}'s parameter '{name}' holds NaN or infinity (training diverged?): it cannot be exported. Export a checkpoint from before the divergence.");
        }
    }
}
