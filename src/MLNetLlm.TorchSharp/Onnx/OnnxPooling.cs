using MLNetLlm.Embeddings;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// Pooling of hidden states (B, T, C) over the real tokens of each row, as <see cref="VectorPooling"/> and
/// <c>TextClassifier.Pool</c> do, written so that left and right padding give the same vector.
/// </summary>
internal static class OnnxPooling
{
    /// <summary>One vector (B, C) per row: the mean of the real tokens' states (zeros for a row without any), or the state of the last or first real token (position 0 for a row without any).</summary>
    public static string Pool(OnnxGraphBuilder g, string hidden, string mask, EmbeddingPooling pooling)
    {
        var isReal = g.Cast(mask, DataType.Float);                                                    // (B, T)
        if (pooling == EmbeddingPooling.Mean)
        {
            var sum = g.ReduceSum(g.Mul(hidden, g.Unsqueeze(isReal, 2)), 1, keepDims: false);          // (B, C)
            var count = g.Max(g.ReduceSum(isReal, 1, keepDims: true), g.Scalar(1f));                   // (B, 1)
            return g.Div(sum, count);
        }
        string score = isReal;                                                                        // first real token: the first 1
        if (pooling == EmbeddingPooling.LastToken)
        {
            var last = g.ToScalar(g.Add(g.Dim(mask, 1), g.Int64s([1])));
            var steps = g.Cast(g.Range(g.Int64s([1], scalar: true), last), DataType.Float);               // (T): 1 .. T
            score = g.Mul(isReal, steps);                                                             // last real token: the largest
        }
        var index = g.ArgMax(score, 1, keepDims: true);                                               // (B, 1)
        return g.GatherRows(hidden, index);                                                           // (B, C)
    }

    /// <summary>Each row scaled to Euclidean length 1; a zero row stays zero.</summary>
    public static string NormalizeL2(OnnxGraphBuilder g, string vectors)
    {
        var norm = g.Sqrt(g.ReduceSum(g.Mul(vectors, vectors), -1, keepDims: true));                  // (B, 1)
        return g.Div(vectors, g.Max(norm, g.Scalar(1e-30f)));
    }
}
