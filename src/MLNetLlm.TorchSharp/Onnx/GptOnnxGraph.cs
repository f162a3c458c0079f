using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// The forward pass of <see cref="GptModel"/> written as ONNX nodes, block by block as in Block.cs and
/// CausalSelfAttention.cs: embeddings, pre-LayerNorm attention and MLP with residuals, the final LayerNorm and the head.
/// </summary>
internal sealed class GptOnnxGraph(OnnxGraphBuilder g, OnnxWeights w, GptConfig config) : IOnnxDecoderGraph
{
    private readonly float _scale = (float)(1.0 / Math.Sqrt(config.HeadSize));

    /// <inheritdoc />
    public (int Layers, int KeyValueHeads, int HeadSize, int VocabularySize) Shape => (config.Layers, config.Heads, config.HeadSize, config.VocabularySize);

    /// <summary>Positions count real tokens only and no token attends to padding (GptModel.Forward), so left or right padding both work.</summary>
    public string Hidden(string ids, string mask)
    {
        return Hidden(ids, CausalAttentionBias.Positions(g, mask), CausalAttentionBias.WithoutPast(g, ids, mask));
    }

    /// <summary>
    /// Final hidden states (B, T, C) of <paramref name="ids"/> at <paramref name="positions"/>, attending as
    /// <paramref name="attentionBias"/> (B, 1, T, past + T) allows. With <paramref name="past"/>, each layer's keys and
    /// values are appended to its past ones and reported in <paramref name="present"/>.
    /// </summary>
    public string Hidden(string ids, string positions, string attentionBias, IReadOnlyList<(string Key, string Value)>? past = null,
        List<(string Key, string Value)>? present = null)
    {
        var tokens = g.Named(g.Gather(w.AsIs("wte.weight"), ids), "token_embedding_lookup");             // (B, T, C)
        var places = g.Named(g.Gather(w.AsIs("wpe.weight"), positions), "position_embedding_lookup");    // (B, T, C): fails past the context length
        var x = g.Add(tokens, places);                                                                     // (B, T, C)
        for (int layer = 0; layer < config.Layers; layer++)
        {
            string block = $"h.{layer}.";
            var (attention, keys, values) = Attention(block + "attn.", g.LayerNormalization(x, w.AsIs(block + "ln_1.weight"), w.AsIs(block + "ln_1.bias"), Epsilon),
                attentionBias, past?[layer]);
            present?.Add((keys, values));
            x = g.Add(x, attention);                                                                           // (B, T, C)
            x = g.Add(x, Mlp(block + "mlp.", g.LayerNormalization(x, w.AsIs(block + "ln_2.weight"), w.AsIs(block + "ln_2.bias"), Epsilon)));
        }
        return g.LayerNormalization(x, w.AsIs("ln_f.weight"), w.AsIs("ln_f.bias"), Epsilon);                 // (B, T, C)
    }

    /// <summary>Logits (B, T, vocabulary) from hidden states (B, T, C), with the tied or separate output head.</summary>
    public string Logits(string hidden, string ids)
    {
        string head = w.Has("lm_head.weight") ? w.AsIs("lm_head.weight") : w.AsIs("wte.weight");               // (V, C)
        var flat = g.GemmTransposedB(g.Reshape(hidden, -1, config.EmbeddingSize), head);                       // (B·T, V)
        return g.Reshape(flat, g.Concat(0, g.Node("Shape", [ids]), g.Int64s([config.VocabularySize])));       // (B, T, V)
    }

    private float Epsilon => (float)config.LayerNormEpsilon;

    private (string Output, string Keys, string Values) Attention(string prefix, string x, string attentionBias, (string Key, string Value)? past)
    {
        long width = config.EmbeddingSize, heads = config.Heads, headSize = config.HeadSize;
        var qkv = g.Split(Linear(prefix + "c_attn", x), 2, width, width, width);      // 3 × (B, T, C)
        string Heads(string t) => g.Transpose(g.Reshape(t, 0, 0, heads, headSize), 0, 2, 1, 3); // (B, nh, T, hs)
        string q = Heads(qkv[0]), k = Heads(qkv[1]), v = Heads(qkv[2]);
        if (past is { } cached)
        {
            k = g.Concat(2, cached.Key, k);                                             // (B, nh, past + T, hs)
            v = g.Concat(2, cached.Value, v);                                           // (B, nh, past + T, hs)
        }
        var scores = g.Add(g.Mul(g.MatMul(q, g.Transpose(k, 0, 1, 3, 2)), g.Scalar(_scale)), attentionBias); // (B, nh, T, Tk)
        var y = g.MatMul(g.Softmax(scores), v);                                         // (B, nh, T, hs)
        y = g.Reshape(g.Transpose(y, 0, 2, 1, 3), 0, 0, width);                         // (B, T, C)
        return (Linear(prefix + "c_proj", y), k, v);
    }

    private string Mlp(string prefix, string x) => Linear(prefix + "c_proj", Gelu(Linear(prefix + "c_fc", x)));

    // GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), as GPT-2 (the Gelu op needs opset 20).
    // Written node for node as ONNX Runtime's FastGeluFusion expects, so it runs as one fused FastGelu kernel.
    private string Gelu(string x)
    {
        var inner = g.Mul(g.Add(x, g.Mul(g.Pow(x, 3f), g.Scalar(0.044715f))), g.Scalar((float)Math.Sqrt(2.0 / Math.PI)));
        return g.Mul(g.Mul(x, g.Scalar(0.5f)), g.Add(g.Tanh(inner), g.Scalar(1f)));
    }

    /// <summary><c>x · Wᵀ + b</c> for the torch Linear named <paramref name="name"/>.</summary>
    public string Linear(string name, string x)
    {
        var y = w.WeightType == OnnxWeightType.Int8 && name.StartsWith("h.", StringComparison.Ordinal)
            ? OnnxQuantization.MatMulInt8(g, x, w, name + ".weight")
            : g.MatMul(x, w.Transposed(name + ".weight"));
        return w.Has(name + ".bias") ? g.Add(y, w.AsIs(name + ".bias")) : y;
    }
}
