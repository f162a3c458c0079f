using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>Dynamic int8 quantisation of one matrix multiplication, the way ONNX Runtime's own quantiser writes it.</summary>
internal static class OnnxQuantization
{
    /// <summary>
    /// <c>x · W</c> with W (the transposed torch weight <paramref name="weightName"/>, [in, out]) stored as int8 with one
    /// symmetric scale per output column, and x quantised to uint8 per tensor at run time:
    /// <c>MatMulInteger(q(x), Wq, zero(x)) · scale(x) · scale(W)</c>.
    /// </summary>
    public static string MatMulInt8(OnnxGraphBuilder g, string x, OnnxWeights w, string weightName)
    {
        var (values, rows, columns) = w.TransposedValues(weightName);                  // [in, out], row-major
        var scales = new float[columns];
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < columns; j++)
                scales[j] = Math.Max(scales[j], Math.Abs(values[i * columns + j]));
        for (long j = 0; j < columns; j++)
            scales[j] = scales[j] > 0 ? scales[j] / 127f : 1f;
        var quantized = new sbyte[values.Length];
        for (long i = 0; i < rows; i++)
            for (long j = 0; j < columns; j++)
                quantized[i * columns + j] = (sbyte)Math.Clamp(MathF.Round(values[i * columns + j] / scales[j]), -127, 127);

        string stem = w.Prefix + weightName;
        var weight = g.Weight(stem + ".int8", quantized, rows, columns);
        var weightScale = g.Weight(stem + ".scale", scales, columns);
        var q = g.Node("DynamicQuantizeLinear", [x], [g.Unique("x_q"), g.Unique("x_scale"), g.Unique("x_zero")]); // uint8, scale, zero point
        var product = g.Node("MatMulInteger", [q[0], weight, q[2]]);                   // int32 (…, out)
        return g.Mul(g.Mul(g.Cast(product, DataType.Float), q[1]), weightScale);
    }
}
