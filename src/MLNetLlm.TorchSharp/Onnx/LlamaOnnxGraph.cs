using MLNetLlm.TorchSharp.Modeling;
using DataType = Onnx.TensorProto.Types.DataType;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// The forward pass of <see cref="LlamaModel"/> written as ONNX nodes, as in LlamaBlock.cs and GroupedQueryAttention.cs:
/// token embedding, pre-RMSNorm attention with rotary positions (and QK-norm) and a SwiGLU MLP with residuals, the final
/// RMSNorm and the head. Grouped queries attend without copying keys: queries are laid out (B, nkv, group, T, hs) and
/// MatMul broadcasts each key/value head over its group.
/// </summary>
internal sealed class LlamaOnnxGraph(OnnxGraphBuilder g, OnnxWeights w, LlamaConfig config, IReadOnlyList<float> frequencies) : IOnnxDecoderGraph
{
    private readonly float _scale = (float)(1.0 / Math.Sqrt(config.HeadSize));
    private readonly long _group = config.Heads / config.KvHeads;

    /// <inheritdoc />
    public (int Layers, int KeyValueHeads, int HeadSize, int VocabularySize) Shape => (config.Layers, config.KvHeads, config.HeadSize, config.VocabularySize);

    /// <summary>Positions count real tokens only and no token attends to padding (LlamaModel.Forward), so left or right padding both work.</summary>
    public string Hidden(string ids, string mask)
    {
        return Hidden(ids, CausalAttentionBias.Positions(g, mask), CausalAttentionBias.WithoutPast(g, ids, mask));
    }

    /// <summary>Final hidden states (B, T, C) of <paramref name="ids"/> at <paramref name="positions"/>, attending as
    /// <paramref name="attentionBias"/> (B, 1, T, past + T) allows. With <paramref name="past"/> ((B, nkv, P, hs) rotated
    /// keys and values per layer), each layer's new ones are appended and reported in <paramref name="present"/>.</summary>
    public string Hidden(string ids, string positions, string attentionBias, IReadOnlyList<(string Key, string Value)>? past = null,
        List<(string Key, string Value)>? present = null)
    {
        var (cos, sin) = Angles(positions);                                                        // (B, T, 1, hs) each
        var bias = g.Unsqueeze(attentionBias, 1);                                                  // (B, 1, 1, T, Tk)
        var x = g.Named(g.Gather(w.AsIs("embed_tokens.weight"), ids), "token_embedding_lookup");  // (B, T, C)
        for (int layer = 0; layer < config.Layers; layer++)
        {
            string block = $"layers.{layer}.";
            var (attention, keys, values) = Attention(block + "self_attn.", RmsNorm(x, block + "input_layernorm.weight", config.HiddenSize), cos, sin, bias, past?[layer]);
            present?.Add((keys, values));
            x = g.Add(x, attention);
            x = g.Add(x, Mlp(block + "mlp.", RmsNorm(x, block + "post_attention_layernorm.weight", config.HiddenSize)));
        }
        return RmsNorm(x, "norm.weight", config.HiddenSize);                                                         // (B, T, C)
    }

    /// <summary>Logits (B, T, vocabulary) from hidden states (B, T, C), with the tied or separate output head.</summary>
    public string Logits(string hidden, string ids)
    {
        string head = w.Has("lm_head.weight") ? w.AsIs("lm_head.weight") : w.AsIs("embed_tokens.weight"); // (V, C)
        var flat = g.GemmTransposedB(g.Reshape(hidden, -1, config.HiddenSize), head);                     // (B·T, V)
        return g.Reshape(flat, g.Concat(0, g.Node("Shape", [ids]), g.Int64s([config.VocabularySize])));  // (B, T, V)
    }

    // The rotary angles position · θᵢ, duplicated over both halves of a head, as RotaryEmbedding.Angles.
    private (string Cos, string Sin) Angles(string positions)
    {
        var inverse = g.Weight(g.Unique("rope_inverse_frequencies"), [.. frequencies], frequencies.Count);   // (hs/2)
        var angles = g.Mul(g.Unsqueeze(g.Cast(positions, DataType.Float), 2), inverse);                      // (B, T, hs/2)
        var both = g.Unsqueeze(g.Concat(-1, angles, angles), 2);                                             // (B, T, 1, hs)
        return (g.Node("Cos", [both]), g.Node("Sin", [both]));
    }

    // x·cos + (−x₂, x₁)·sin over the last axis of (B, T, heads, hs).
    private string Rotate(string x, string cos, string sin)
    {
        long half = config.HeadSize / 2;
        var halves = g.Split(x, 3, half, half);
        var rotated = g.Concat(3, g.Mul(halves[1], g.Scalar(-1f)), halves[0]);
        return g.Add(g.Mul(x, cos), g.Mul(rotated, sin));
    }

    private string RmsNorm(string x, string weight, long size)
    {
        var meanSquare = g.Div(g.ReduceSum(g.Mul(x, x), -1, keepDims: true), g.Scalar(size));
        return g.Mul(g.Div(x, g.Sqrt(g.Add(meanSquare, g.Scalar((float)config.RmsNormEpsilon)))), w.AsIs(weight));
    }

    private (string Output, string Keys, string Values) Attention(string prefix, string x, string cos, string sin, string bias, (string Key, string Value)? past)
    {
        long heads = config.Heads, kvHeads = config.KvHeads, hs = config.HeadSize;
        var q = g.Reshape(Linear(prefix + "q_proj", x), 0, 0, heads, hs);               // (B, T, nh, hs)
        var k = g.Reshape(Linear(prefix + "k_proj", x), 0, 0, kvHeads, hs);             // (B, T, nkv, hs)
        var v = g.Reshape(Linear(prefix + "v_proj", x), 0, 0, kvHeads, hs);             // (B, T, nkv, hs)
        if (w.Has(prefix + "q_norm.weight"))
        {
            q = RmsNorm(q, prefix + "q_norm.weight", hs);
            k = RmsNorm(k, prefix + "k_norm.weight", hs);
        }
        q = Rotate(q, cos, sin);
        k = Rotate(k, cos, sin);
        var grouped = g.Transpose(g.Reshape(q, 0, 0, kvHeads, _group, hs), 0, 2, 3, 1, 4); // (B, nkv, group, T, hs)
        k = g.Transpose(k, 0, 2, 1, 3);                                                  // (B, nkv, T, hs)
        v = g.Transpose(v, 0, 2, 1, 3);                                                  // (B, nkv, T, hs)
        if (past is { } cached)
        {
            k = g.Concat(2, cached.Key, k);                                              // (B, nkv, P + T, hs)
            v = g.Concat(2, cached.Value, v);                                            // (B, nkv, P + T, hs)
        }
        var keys = g.Unsqueeze(g.Transpose(k, 0, 1, 3, 2), 2);                           // (B, nkv, 1, hs, Tk)
        var values = g.Unsqueeze(v, 2);                                                  // (B, nkv, 1, Tk, hs)
        var scores = g.Add(g.Mul(g.MatMul(grouped, keys), g.Scalar(_scale)), bias);      // (B, nkv, group, T, Tk)
        var y = g.MatMul(g.Softmax(scores), values);                                      // (B, nkv, group, T, hs)
        y = g.Reshape(g.Transpose(y, 0, 3, 1, 2, 4), 0, 0, heads * hs);                   // (B, T, nh·hs)
        return (Linear(prefix + "o_proj", y), k, v);
    }

    private string Mlp(string prefix, string x)
    {
        var gate = Linear(prefix + "gate_proj", x);
        var silu = g.Mul(gate, g.Node("Sigmoid", [gate]));
        return Linear(prefix + "down_proj", g.Mul(silu, Linear(prefix + "up_proj", x)));
    }

    /// <summary><c>x · Wᵀ + b</c> for the torch Linear named <paramref name="name"/>.</summary>
    private string Linear(string name, string x)
    {
        var y = w.WeightType == OnnxWeightType.Int8 && name.StartsWith("layers.", StringComparison.Ordinal)
            ? OnnxQuantization.MatMulInt8(g, x, w, name + ".weight")
            : g.MatMul(x, w.Transposed(name + ".weight"));
        return w.Has(name + ".bias") ? g.Add(y, w.AsIs(name + ".bias")) : y;
    }
}
