using System.Globalization;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// Builds one ONNX graph node by node over OnnxSharp's protobuf types: graph inputs and outputs with symbolic
/// dimensions ("batch", "sequence"), weights as initializers, and every operator as a method returning the name of its
/// output, so an export reads like the forward pass it mirrors. The ops themselves are in <c>OnnxGraphBuilder.Ops.cs</c>.
/// </summary>
internal sealed partial class OnnxGraphBuilder
{
    /// <summary>The operator set every exported model imports: 17 brings LayerNormalization.</summary>
    public const int Opset = 17;

    /// <summary>The IR version that goes with opset 17.</summary>
    public const long IrVersion = 8;

    private readonly GraphProto _graph;
    private readonly Dictionary<string, int> _used = new(StringComparer.Ordinal);
    private readonly List<string> _signature = [];

    public OnnxGraphBuilder(string graphName) => _graph = new GraphProto { Name = graphName };

    /// <summary>Bytes of weight data held by the initializers so far.</summary>
    public long InitializerBytes { get; private set; }

    /// <summary>The inputs and outputs declared so far, one per line (<c>input_ids: int64 [batch, sequence]</c>).</summary>
    public string Signature => string.Join("\n", _signature);

    /// <summary>Declares a graph input; a dimension is a fixed size (int) or a symbolic name (string).</summary>
    public string Input(string name, DataType type, params object[] dims)
    {
        _graph.Input.Add(ValueInfo(name, type, dims));
        _signature.Add($"in  {Describe(name, type, dims)}");
        return name;
    }

    /// <summary>Exposes <paramref name="value"/> as graph output <paramref name="name"/> (through an Identity when the names differ).</summary>
    public void Output(string name, string value, DataType type, params object[] dims)
    {
        if (value != name) Node("Identity", [value], [name]);
        _graph.Output.Add(ValueInfo(name, type, dims));
        _signature.Add($"out {Describe(name, type, dims)}");
    }

    /// <summary>A float32 weight, stored in row-major order.</summary>
    public string Weight(string name, float[] values, params long[] dims) =>
        AddInitializer(name, DataType.Float, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    /// <summary>A float16 weight, stored in row-major order.</summary>
    public string Weight(string name, Half[] values, params long[] dims) =>
        AddInitializer(name, DataType.Float16, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    /// <summary>An int8 weight, stored in row-major order.</summary>
    public string Weight(string name, sbyte[] values, params long[] dims) =>
        AddInitializer(name, DataType.Int8, MemoryMarshal.AsBytes(values.AsSpan()), dims);

    /// <summary>A constant int64 tensor (shapes, axes, indices): a 1-D tensor, or a scalar when <paramref name="scalar"/>.</summary>
    public string Int64s(long[] values, bool scalar = false) =>
        AddInitializer(Unique("const"), DataType.Int64, MemoryMarshal.AsBytes(values.AsSpan()), scalar ? [] : [values.Length]);

    /// <summary>A constant float32 scalar.</summary>
    public string Scalar(float value) => AddInitializer(Unique("const"), DataType.Float, MemoryMarshal.AsBytes(new[] { value }.AsSpan()), []);

    /// <summary>Adds one node and returns its first output's name.</summary>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes) =>
        Node(opType, inputs, [Unique(opType)], attributes)[0];

    /// <summary>Adds one node with the given output names.</summary>
    public string[] Node(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = Unique(opType + "_node") };
        node.Input.Add(inputs);
        node.Output.Add(outputs);
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return outputs;
    }

    /// <summary>Names the node just added, so that ONNX Runtime's errors about it say what it is.</summary>
    public string Named(string output, string nodeName)
    {
        _graph.Node[^1].Name = nodeName;
        return output;
    }

    /// <summary>The finished model: this graph, opset 17, the producer, a description and the metadata entries.</summary>
    public ModelProto Build(string docString, IReadOnlyDictionary<string, string> metadata)
    {
        _graph.DocString = docString;
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "MLNetLlm",
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            Domain = "ai.mlnetllm",
            ModelVersion = 1,
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        foreach (var (key, value) in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    public static AttributeProto Attribute(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attribute(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attribute(string name, long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }

    /// <summary>A fresh tensor name starting with <paramref name="stem"/>.</summary>
    public string Unique(string stem)
    {
        int count = _used.TryGetValue(stem, out var seen) ? seen + 1 : 0;
        _used[stem] = count;
        return count == 0 ? stem : string.Create(CultureInfo.InvariantCulture, $"{stem}_{count}");
    }

    private string AddInitializer(string name, DataType type, ReadOnlySpan<byte> bytes, long[] dims)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        tensor.Dims.Add(dims);
        _graph.Initializer.Add(tensor);
        InitializerBytes += bytes.Length;
        return name;
    }

    private static ValueInfoProto ValueInfo(string name, DataType type, object[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var dim in dims)
            shape.Dim.Add(dim switch
            {
                string symbol => new TensorShapeProto.Types.Dimension { DimParam = symbol },
                int size => new TensorShapeProto.Types.Dimension { DimValue = size },
                long size => new TensorShapeProto.Types.Dimension { DimValue = size },
                _ => throw new ArgumentException($"A dimension is a size or a name, not {dim}.", nameof(dims)),
            });
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } },
        };
    }

    private static string Describe(string name, DataType type, object[] dims) =>
        $"{name}: {type.ToString().ToLowerInvariant()} [{string.Join(", ", dims.Select(d => Convert.ToString(d, CultureInfo.InvariantCulture)))}]";
}
