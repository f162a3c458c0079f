using Onnx;

namespace MLNetLlm.TorchSharp.Onnx;

// The opset 17 operators the exports use, one method each, named as in the ONNX operator list.
internal sealed partial class OnnxGraphBuilder
{
    public string Add(string a, string b) => Node("Add", [a, b]);

    public string Sub(string a, string b) => Node("Sub", [a, b]);

    public string Mul(string a, string b) => Node("Mul", [a, b]);

    public string Div(string a, string b) => Node("Div", [a, b]);

    public string Max(string a, string b) => Node("Max", [a, b]);

    public string MatMul(string a, string b) => Node("MatMul", [a, b]);

    /// <summary><c>a · bᵀ</c> for a 2-D <paramref name="a"/> and a 2-D <paramref name="b"/> stored as [out, in].</summary>
    public string GemmTransposedB(string a, string b) => Node("Gemm", [a, b], Attribute("transB", 1L));

    public string Pow(string x, float exponent) => Node("Pow", [x, Scalar(exponent)]);

    public string Tanh(string x) => Node("Tanh", [x]);

    public string Erf(string x) => Node("Erf", [x]);

    public string Sqrt(string x) => Node("Sqrt", [x]);

    public string Softmax(string x, long axis = -1) => Node("Softmax", [x], Attribute("axis", axis));

    public string LayerNormalization(string x, string scale, string bias, float epsilon) =>
        Node("LayerNormalization", [x, scale, bias], Attribute("axis", -1L), Attribute("epsilon", epsilon));

    public string Gather(string data, string indices, long axis = 0) => Node("Gather", [data, indices], Attribute("axis", axis));

    /// <summary>One slice of <paramref name="data"/> per batch row: <c>GatherND</c> with one batch dimension.</summary>
    public string GatherRows(string data, string indices) => Node("GatherND", [data, indices], Attribute("batch_dims", 1L));

    public string Reshape(string data, params long[] shape) => Node("Reshape", [data, Int64s(shape)]);

    public string Reshape(string data, string shape) => Node("Reshape", [data, shape]);

    public string Transpose(string x, params long[] perm) => Node("Transpose", [x], Attribute("perm", perm));

    public string[] Split(string x, long axis, params long[] sizes) =>
        Node("Split", [x, Int64s(sizes)], [.. sizes.Select(_ => Unique("Split"))], Attribute("axis", axis));

    public string Concat(long axis, params string[] inputs) => Node("Concat", inputs, Attribute("axis", axis));

    public string Unsqueeze(string x, params long[] axes) => Node("Unsqueeze", [x, Int64s(axes)]);

    public string Squeeze(string x, params long[] axes) => Node("Squeeze", [x, Int64s(axes)]);

    public string Cast(string x, TensorProto.Types.DataType to) => Node("Cast", [x], Attribute("to", (long)to));

    public string CumSum(string x, long axis) => Node("CumSum", [x, Int64s([axis], scalar: true)]);

    public string ReduceSum(string x, long axis, bool keepDims) =>
        Node("ReduceSum", [x, Int64s([axis])], Attribute("keepdims", keepDims ? 1L : 0L));

    public string ArgMax(string x, long axis, bool keepDims) =>
        Node("ArgMax", [x], Attribute("axis", axis), Attribute("keepdims", keepDims ? 1L : 0L));

    /// <summary>Dimension <paramref name="axis"/> of <paramref name="x"/>'s shape, as a 1-element int64 tensor.</summary>
    public string Dim(string x, long axis) => Node("Shape", [x], Attribute("start", axis), Attribute("end", axis + 1));

    /// <summary><c>[start, limit)</c> as int64, from two scalar int64 tensors.</summary>
    public string Range(string start, string limit) => Node("Range", [start, limit, Int64s([1], scalar: true)]);

    /// <summary>A 1-element tensor turned into a scalar.</summary>
    public string ToScalar(string x) => Squeeze(x, 0);

    /// <summary>Clamps an int64 tensor from below.</summary>
    public string ClampMin(string x, long min) => Max(x, Int64s([min], scalar: true));

    public string Where(string condition, string whenTrue, string whenFalse) => Node("Where", [condition, whenTrue, whenFalse]);

    public string And(string a, string b) => Node("And", [a, b]);

    public string Or(string a, string b) => Node("Or", [a, b]);

    public string Equal(string a, string b) => Node("Equal", [a, b]);

    public string LessOrEqual(string a, string b) => Node("LessOrEqual", [a, b]);
}
