using Onnx;

namespace MLNetLlm.TorchSharp.Tests.Onnx;

/// <summary>An exported model re-read with OnnxSharp: its inputs and outputs as "name: type [dims]", opset and metadata.</summary>
internal static class OnnxInspection
{
    public static ModelProto Read(string path) => ModelProto.Parser.ParseFromFile(path);

    public static string[] Inputs(ModelProto model) => [.. model.Graph.Input.Select(Describe)];

    public static string[] Outputs(ModelProto model) => [.. model.Graph.Output.Select(Describe)];

    public static Dictionary<string, string> Metadata(ModelProto model) => model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);

    private static string Describe(ValueInfoProto value)
    {
        var tensor = value.Type.TensorType;
        var dims = tensor.Shape.Dim.Select(d => d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : d.DimValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return $"{value.Name}: {(TensorProto.Types.DataType)tensor.ElemType} [{string.Join(", ", dims)}]";
    }
}
