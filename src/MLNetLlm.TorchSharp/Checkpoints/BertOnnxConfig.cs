using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Infers the <see cref="BertConfig"/> of a BERT ONNX graph, which carries no config: sizes from the tensors' shapes,
/// the head count and LayerNorm epsilon from the graph's constants.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Vocabulary and width: <c>embeddings.word_embeddings.weight</c> [V, C]; positions and segments: the position
/// and token-type embeddings' rows; intermediate size: <c>encoder.layer.0.intermediate.dense.bias</c>; layers: the
/// number of <c>encoder.layer.{i}</c> found.</item>
/// <item>Heads: the query of layer 0 is reshaped to (B, T, heads, head size) before attention; the shape comes from a
/// <c>Concat</c> of (B, T, heads, head size) whose last two are constants, or is a constant itself. When the graph
/// does not show it, a table of the published BERT widths (128 → 2, 256 → 4, 384 → 12, 512 → 8, 768 → 12, 1024 → 16).</item>
/// <item>LayerNorm epsilon: the constant added to the variance in the embeddings' LayerNorm (or a
/// <c>LayerNormalization</c> node's <c>epsilon</c>); BERT's 1e-12 when the graph does not show it.</item>
/// </list>
/// </remarks>
internal static class BertOnnxConfig
{
    private static readonly Dictionary<long, int> HeadsByWidth = new() { [128] = 2, [256] = 4, [384] = 12, [512] = 8, [768] = 12, [1024] = 16 };

    /// <summary>The config the graph's tensors describe; dropouts are BERT's 0.1 (they act only in training).</summary>
    /// <exception cref="InvalidDataException">A tensor the shapes are read from is missing, or the heads cannot be told.</exception>
    public static BertConfig Infer(BertOnnxGraphReader graph, string source)
    {
        // Dimension `axis` of a parameter of rank `rank`, as an int: a missing tensor or an absurd size is a clear error.
        int Size(string name, int rank, int axis)
        {
            if (!graph.Parameters.TryGetValue(name, out var parameter))
                throw new InvalidDataException($"{source} has no initializer for the BERT parameter '{name}': it is not a BERT encoder graph (or a tampered one).");
            if (parameter.Shape.Length != rank || parameter.Shape.Any(d => d < 1 || d > int.MaxValue))
                throw new InvalidDataException($"Initializer '{parameter.Tensor.Name}' of {source}, the BERT parameter '{name}', has shape [{string.Join(", ", parameter.Shape)}]; " +
                    $"a {rank}-dimensional tensor of positive sizes is expected.");
            return (int)parameter.Shape[axis];
        }

        const string words = "embeddings.word_embeddings.weight";
        int width = Size(words, 2, 1);
        int layers = graph.Parameters.Keys.Where(name => name.StartsWith("encoder.layer.", StringComparison.Ordinal))
            .Select(name => int.TryParse(name.Split('.')[2], System.Globalization.CultureInfo.InvariantCulture, out int layer) && layer < 10_000 ? layer : 10_000)
            .DefaultIfEmpty(-1).Max() + 1; // a hostile index is capped: Validate refuses more than 256 layers
        if (layers == 0)
            throw new InvalidDataException($"{source} has no encoder.layer.* initializers: it is not a BERT encoder graph.");
        if (!graph.Nodes.Any(node => node.OpType is "Erf" or "Gelu"))
            throw new InvalidDataException($"{source} has no Erf (or Gelu) node: its activation is not BERT's exact GELU, which is all BertModel computes.");

        return new BertConfig
        {
            VocabularySize = Size(words, 2, 0),
            HiddenSize = width,
            Layers = layers,
            Heads = Heads(graph, width, source),
            IntermediateSize = Size("encoder.layer.0.intermediate.dense.bias", 1, 0),
            MaxPositions = Size("embeddings.position_embeddings.weight", 2, 0),
            TypeVocabularySize = Size("embeddings.token_type_embeddings.weight", 2, 0),
            LayerNormEpsilon = Epsilon(graph) ?? 1e-12,
        };
    }

    private static int Heads(BertOnnxGraphReader graph, long width, string source)
    {
        if (graph.Parameters.TryGetValue("encoder.layer.0.attention.self.query.bias", out var bias))
        {
            // query = Add(bias, MatMul(x, W)); then Reshape(query, shape) with shape = Concat(B, T, heads, head size) or a constant.
            foreach (var add in graph.Consumers(bias.Tensor.Name).Where(n => n.OpType == "Add"))
                foreach (var reshape in graph.Consumers(add.Output[0]).Where(n => n.OpType == "Reshape" && n.Input.Count == 2))
                {
                    long[]? shape = graph.Int64Constant(reshape.Input[1]);
                    if (shape is null && graph.Producer(reshape.Input[1]) is { OpType: "Concat" } concat && concat.Input.Count == 4)
                        shape = concat.Input.Skip(2).Select(graph.Int64Constant).Select(v => v is [var single] ? single : -1).Prepend(0).Prepend(0).ToArray();
                    if (shape is [_, _, > 0 and var heads, > 0 and var size] && heads <= width && heads * size == width) return checked((int)heads);
                }
        }
        return HeadsByWidth.TryGetValue(width, out int known) ? known
            : throw new InvalidDataException($"{source} does not show its attention head count (no Reshape of the query to (B, T, heads, head size)), " +
                $"and width {width} is not one of the published BERT widths ({string.Join(", ", HeadsByWidth.Keys)}).");
    }

    // embeddings.LayerNorm: Mul(Div(x - mean, Sqrt(Add(variance, epsilon))), weight), or LayerNormalization(x, weight, bias).
    private static double? Epsilon(BertOnnxGraphReader graph)
    {
        if (!graph.Parameters.TryGetValue("embeddings.LayerNorm.weight", out var weight)) return null;
        foreach (var node in graph.Consumers(weight.Tensor.Name))
        {
            if (node.OpType == "LayerNormalization")
                return node.Attribute.FirstOrDefault(a => a.Name == "epsilon")?.F ?? 1e-5f;
            if (node.OpType != "Mul") continue;
            var div = node.Input.Select(graph.Producer).FirstOrDefault(p => p?.OpType == "Div");
            var sqrt = div is { Input.Count: 2 } ? graph.Producer(div.Input[1]) : null;
            var add = sqrt is { OpType: "Sqrt" } ? graph.Producer(sqrt.Input[0]) : null;
            if (add is { OpType: "Add" } && add.Input.Select(graph.FloatScalar).FirstOrDefault(v => v is not null) is float epsilon)
                return double.Parse(epsilon.ToString(System.Globalization.CultureInfo.InvariantCulture), System.Globalization.CultureInfo.InvariantCulture); // 1e-12, not 9.9999999e-13
        }
        return null;
    }
}
