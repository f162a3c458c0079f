namespace MLNetLlm.TorchSharp.Tests.Persistence;

/// <summary>
/// GPT-2's forward pass in plain C# arrays, straight from the Hugging Face weights (Conv1D layout: y = x W + b with
/// W stored [in, out]), accumulating in double. It shares no code with the TorchSharp model, so agreement between the
/// two checks the loader's names, transpositions and tying as well as the model itself.
/// </summary>
internal static class ReferenceGpt2Forward
{
    /// <param name="weights">Tensors by Hugging Face name (no prefix), row-major.</param>
    /// <param name="layers">Number of blocks.</param>
    /// <param name="heads">Attention heads.</param>
    /// <param name="epsilon">LayerNorm epsilon.</param>
    /// <param name="ids">The token ids of one sequence.</param>
    /// <returns>Logits [ids.Length, vocabulary], row-major.</returns>
    public static float[] Logits(IReadOnlyDictionary<string, float[]> weights, int layers, int heads, double epsilon, int[] ids)
    {
        var wte = weights["wte.weight"];
        int width = weights["ln_f.weight"].Length;
        int vocabulary = wte.Length / width;
        int length = ids.Length;

        var x = new double[length][];
        for (int t = 0; t < length; t++)
        {
            x[t] = new double[width];
            for (int c = 0; c < width; c++)
                x[t][c] = wte[ids[t] * width + c] + weights["wpe.weight"][t * width + c];
        }

        for (int layer = 0; layer < layers; layer++)
        {
            string p = $"h.{layer}.";
            var qkv = x
                .Select(row => LayerNorm(row, weights[p + "ln_1.weight"], weights[p + "ln_1.bias"], epsilon))
                .Select(normed => Affine(normed, weights[p + "attn.c_attn.weight"], weights[p + "attn.c_attn.bias"]))
                .ToArray();
            var attended = Attention(qkv, heads, width);
            for (int t = 0; t < length; t++)
                Add(x[t], Affine(attended[t], weights[p + "attn.c_proj.weight"], weights[p + "attn.c_proj.bias"]));
            for (int t = 0; t < length; t++)
            {
                var hidden = Affine(LayerNorm(x[t], weights[p + "ln_2.weight"], weights[p + "ln_2.bias"], epsilon), weights[p + "mlp.c_fc.weight"], weights[p + "mlp.c_fc.bias"]);
                for (int i = 0; i < hidden.Length; i++) hidden[i] = GeluTanh(hidden[i]);
                Add(x[t], Affine(hidden, weights[p + "mlp.c_proj.weight"], weights[p + "mlp.c_proj.bias"]));
            }
        }

        // The head is Linear-shaped [vocabulary, width]: the tied wte, or an explicit lm_head.
        var head = weights.TryGetValue("lm_head.weight", out var explicitHead) ? explicitHead : wte;
        var logits = new float[length * vocabulary];
        for (int t = 0; t < length; t++)
        {
            var normed = LayerNorm(x[t], weights["ln_f.weight"], weights["ln_f.bias"], epsilon);
            for (int v = 0; v < vocabulary; v++)
            {
                double sum = 0;
                for (int c = 0; c < width; c++) sum += normed[c] * head[v * width + c];
                logits[t * vocabulary + v] = (float)sum;
            }
        }
        return logits;
    }

    private static double[] LayerNorm(double[] x, float[] gain, float[] bias, double epsilon)
    {
        double mean = x.Average();
        double variance = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        double scale = 1 / Math.Sqrt(variance + epsilon);
        return x.Select((v, i) => (v - mean) * scale * gain[i] + bias[i]).ToArray();
    }

    /// <summary>x W + b with W stored [in, out] (Conv1D).</summary>
    private static double[] Affine(double[] x, float[] weight, float[] bias)
    {
        int outputs = bias.Length;
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++) y[o] = bias[o];
        for (int i = 0; i < x.Length; i++)
            for (int o = 0; o < outputs; o++)
                y[o] += x[i] * weight[i * outputs + o];
        return y;
    }

    /// <summary>Causal softmax attention over rows of fused [q | k | v], each head attending within its slice.</summary>
    private static double[][] Attention(double[][] qkv, int heads, int width)
    {
        int length = qkv.Length, headSize = width / heads;
        var output = Enumerable.Range(0, length).Select(_ => new double[width]).ToArray();
        for (int h = 0; h < heads; h++)
        {
            int q0 = h * headSize, k0 = width + h * headSize, v0 = 2 * width + h * headSize;
            for (int t = 0; t < length; t++)
            {
                var scores = new double[t + 1];
                for (int s = 0; s <= t; s++)
                {
                    double dot = 0;
                    for (int d = 0; d < headSize; d++) dot += qkv[t][q0 + d] * qkv[s][k0 + d];
                    scores[s] = dot / Math.Sqrt(headSize);
                }
                double max = scores.Max();
                var weights = scores.Select(score => Math.Exp(score - max)).ToArray();
                double total = weights.Sum();
                for (int s = 0; s <= t; s++)
                    for (int d = 0; d < headSize; d++)
                        output[t][h * headSize + d] += weights[s] / total * qkv[s][v0 + d];
            }
        }
        return output;
    }

    private static double GeluTanh(double x) => 0.5 * x * (1 + Math.Tanh(Math.Sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));

    private static void Add(double[] into, double[] values)
    {
        for (int i = 0; i < into.Length; i++) into[i] += values[i];
    }
}
