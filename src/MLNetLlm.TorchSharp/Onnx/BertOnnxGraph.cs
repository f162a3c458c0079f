using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// The forward pass of a BERT-family encoder written as ONNX nodes, under Hugging Face's parameter names: word,
/// position and token-type (type 0) embeddings with their LayerNorm, then per layer bidirectional attention over the
/// real tokens and a GELU (erf) feed-forward, each followed by a residual and a LayerNorm (post-LN).
/// </summary>
/// <remarks>
/// Texts are padded on the right: positions are 0, 1, ... for every row, as the encoder computes them, and padding
/// keys get a large negative score, so a real token's state never depends on padding.
/// </remarks>
internal sealed class BertOnnxGraph(OnnxGraphBuilder g, OnnxWeights w, int hiddenSize, int heads, int layers, float epsilon) : IOnnxBackboneGraph
{
    private readonly float _scale = (float)(1.0 / Math.Sqrt(hiddenSize / heads));

    public string Hidden(string ids, string mask)
    {
        var steps = g.Range(g.Int64s([0], scalar: true), g.ToScalar(g.Dim(ids, 1)));                   // (T)
        var words = g.Gather(w.AsIs("embeddings.word_embeddings.weight"), ids);                         // (B, T, C)
        var places = g.Gather(w.AsIs("embeddings.position_embeddings.weight"), steps);                  // (T, C)
        var type = g.Gather(w.AsIs("embeddings.token_type_embeddings.weight"), g.Int64s([0], scalar: true)); // (C)
        var x = LayerNorm("embeddings.LayerNorm", g.Add(g.Add(words, places), type));                   // (B, T, C)
        var keyIsReal = g.Unsqueeze(g.Cast(mask, DataType.Bool), 1, 2);                                // (B, 1, 1, T)
        var bias = g.Where(keyIsReal, g.Scalar(0f), g.Scalar(float.MinValue));                          // (B, 1, 1, T)
        for (int layer = 0; layer < layers; layer++)
        {
            string prefix = $"encoder.layer.{layer}.";
            x = LayerNorm(prefix + "attention.output.LayerNorm", g.Add(Linear(prefix + "attention.output.dense", Attention(prefix + "attention.self.", x, bias)), x));
            var inner = Gelu(Linear(prefix + "intermediate.dense", x));                                 // (B, T, 4C)
            x = LayerNorm(prefix + "output.LayerNorm", g.Add(Linear(prefix + "output.dense", inner), x)); // (B, T, C)
        }
        return x;
    }

    private string Attention(string prefix, string x, string bias)
    {
        long headSize = hiddenSize / heads;
        string Heads(string t) => g.Transpose(g.Reshape(t, 0, 0, heads, headSize), 0, 2, 1, 3);      // (B, nh, T, hs)
        string q = Heads(Linear(prefix + "query", x)), k = Heads(Linear(prefix + "key", x)), v = Heads(Linear(prefix + "value", x));
        var scores = g.Add(g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), g.Scalar(_scale)), bias);   // (B, nh, T, T)
        var y = g.MatMul(g.Softmax(scores), v);                                                        // (B, nh, T, hs)
        return g.Reshape(g.Transpose(y, 0, 2, 1, 3), 0, 0, hiddenSize);                                // (B, T, C)
    }

    // Exact GELU, 0.5·x·(1 + erf(x/√2)), written as ONNX Runtime's GeluFusion expects.
    private string Gelu(string x) =>
        g.Mul(g.Mul(x, g.Add(g.Erf(g.Div(x, g.Scalar((float)Math.Sqrt(2.0)))), g.Scalar(1f))), g.Scalar(0.5f));

    private string LayerNorm(string name, string x) => g.LayerNormalization(x, w.AsIs(name + ".weight"), w.AsIs(name + ".bias"), epsilon);

    private string Linear(string name, string x)
    {
        var y = w.WeightType == OnnxWeightType.Int8 && name.StartsWith("encoder.", StringComparison.Ordinal)
            ? OnnxQuantization.MatMulInt8(g, x, w, name + ".weight")
            : g.MatMul(x, w.Transposed(name + ".weight"));
        return g.Add(y, w.AsIs(name + ".bias"));
    }
}
