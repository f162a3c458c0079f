using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// How the decoder graphs (<see cref="GptOnnxGraph"/>, <see cref="LlamaOnnxGraph"/>) mask attention and number positions,
/// written once: as GptModel and LlamaModel do, positions count real tokens only and no token attends to padding, so left
/// or right padding both work.
/// </summary>
internal static class CausalAttentionBias
{
    /// <summary>Each token's position (B, T): the real tokens before it; padding before the first real token gets 0.</summary>
    public static string Positions(OnnxGraphBuilder g, string mask) =>
        g.ClampMin(g.Sub(g.CumSum(mask, 1), g.Int64s([1], scalar: true)), 0);

    /// <summary>The bias (B, 1, T, T) of a pass without past keys: queries and keys are the steps 0 .. T - 1 of <paramref name="ids"/>.</summary>
    public static string WithoutPast(OnnxGraphBuilder g, string ids, string mask)
    {
        var steps = g.Range(g.Int64s([0], scalar: true), g.ToScalar(g.Dim(ids, 1)));              // (T)
        return Of(g, steps, steps, mask);
    }

    /// <summary>
    /// The bias (B, 1, T, P + T) of a pass after <c>P</c> past steps (the length of <paramref name="pastKey"/>'s axis 2):
    /// queries are the steps P .. P + T - 1, keys every step of <paramref name="mask"/> (B, P + T).
    /// </summary>
    public static string AfterPast(OnnxGraphBuilder g, string ids, string mask, string pastKey)
    {
        var pastLength = g.Dim(pastKey, 2);                                                       // [P]
        var queries = g.Range(g.ToScalar(pastLength), g.ToScalar(g.Add(pastLength, g.Dim(ids, 1)))); // (T): P .. P + T - 1
        var keys = g.Range(g.Int64s([0], scalar: true), g.ToScalar(g.Dim(mask, 1)));             // (P + T)
        return Of(g, queries, keys, mask);
    }

    /// <summary>
    /// The additive attention mask (B, 1, Tq, Tk): 0 where query i may see key j, −∞ elsewhere. A query sees keys at or
    /// before its own position that are real tokens (<paramref name="keyMask"/> (B, Tk) is 1), and always itself, so a
    /// padding query's softmax row is never empty.
    /// </summary>
    public static string Of(OnnxGraphBuilder g, string queryPositions, string keyPositions, string keyMask)
    {
        var queries = g.Unsqueeze(queryPositions, 1);                                   // (Tq, 1)
        var keys = g.Unsqueeze(keyPositions, 0);                                        // (1, Tk)
        var keyIsReal = g.Unsqueeze(g.Cast(keyMask, DataType.Bool), 1, 2);              // (B, 1, 1, Tk)
        var allowed = g.Or(g.And(g.LessOrEqual(keys, queries), keyIsReal), g.Equal(keys, queries)); // (B, 1, Tq, Tk)
        return g.Where(allowed, g.Scalar(0f), g.Scalar(float.NegativeInfinity));
    }
}
