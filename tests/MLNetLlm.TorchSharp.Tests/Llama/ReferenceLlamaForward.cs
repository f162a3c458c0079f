namespace MLNetLlm.TorchSharp.Tests.Llama;

/// <summary>
/// The Llama-family forward pass in plain C# arrays, accumulating in double, straight from the Hugging Face weights
/// (Linear: y = W x + b, W stored [out, in]). It shares no code with the TorchSharp model: RMSNorm, rotary angles (with
/// Llama 3 scaling), grouped-query attention, QK-norm and SwiGLU are written out here from their definitions.
/// </summary>
internal sealed class ReferenceLlamaForward(TinyHuggingFaceLlama c)
{
    private readonly Dictionary<string, float[]> _w = c.Weights;

    /// <summary>θᵢ of the rotary pairs, with Llama 3's scaling when the checkpoint uses it.</summary>
    public double[] Frequencies()
    {
        var frequencies = new double[c.HeadSize / 2];
        for (int i = 0; i < frequencies.Length; i++)
        {
            double f = Math.Pow(c.Theta, -2.0 * i / c.HeadSize);
            if (c.Llama3Scaling)
            {
                const double factor = 8, low = 1, high = 4, original = 256;
                double wavelength = 2 * Math.PI / f;
                if (wavelength > original / low) f /= factor;
                else if (wavelength >= original / high)
                {
                    double smooth = (original / wavelength - low) / (high - low);
                    f = (1 - smooth) * f / factor + smooth * f;
                }
            }
            frequencies[i] = f;
        }
        return frequencies;
    }

    /// <summary>Logits [ids.Length, vocabulary] of one sequence, positions 0, 1, ...</summary>
    public float[] Logits(int[] ids)
    {
        int T = ids.Length, H = TinyHuggingFaceLlama.Hidden, V = c.VocabularySize, hs = c.HeadSize;
        int group = TinyHuggingFaceLlama.Heads / c.KvHeads;
        var frequencies = Frequencies();
        var x = ids.Select(id => Enumerable.Range(0, H).Select(j => (double)_w["embed_tokens.weight"][id * H + j]).ToArray()).ToArray();

        for (int layer = 0; layer < TinyHuggingFaceLlama.Layers; layer++)
        {
            string p = $"layers.{layer}.self_attn.";
            var normed = x.Select(row => RmsNorm(row, _w[$"layers.{layer}.input_layernorm.weight"])).ToArray();
            var q = normed.Select(row => Linear(row, p + "q_proj")).ToArray();
            var k = normed.Select(row => Linear(row, p + "k_proj")).ToArray();
            var v = normed.Select(row => Linear(row, p + "v_proj")).ToArray();
            var heads = new double[T][];
            for (int t = 0; t < T; t++) heads[t] = new double[TinyHuggingFaceLlama.Heads * hs];
            for (int t = 0; t < T; t++)
            {
                for (int h = 0; h < TinyHuggingFaceLlama.Heads; h++)
                {
                    int kvh = h / group;
                    var query = Rotate(HeadNorm(q[t][(h * hs)..((h + 1) * hs)], p + "q_norm.weight"), t, frequencies);
                    var scores = new double[t + 1];
                    for (int s = 0; s <= t; s++)
                    {
                        var key = Rotate(HeadNorm(k[s][(kvh * hs)..((kvh + 1) * hs)], p + "k_norm.weight"), s, frequencies);
                        scores[s] = query.Zip(key, (a, b) => a * b).Sum() / Math.Sqrt(hs);
                    }
                    double max = scores.Max(), total = scores.Sum(z => Math.Exp(z - max));
                    for (int s = 0; s <= t; s++)
                        for (int d = 0; d < hs; d++)
                            heads[t][h * hs + d] += Math.Exp(scores[s] - max) / total * v[s][kvh * hs + d];
                }
            }
            for (int t = 0; t < T; t++) Add(x[t], Linear(heads[t], p + "o_proj"));
            for (int t = 0; t < T; t++)
            {
                var m = RmsNorm(x[t], _w[$"layers.{layer}.post_attention_layernorm.weight"]);
                var gate = Linear(m, $"layers.{layer}.mlp.gate_proj");
                var up = Linear(m, $"layers.{layer}.mlp.up_proj");
                var hidden = gate.Zip(up, (g, u) => g / (1 + Math.Exp(-g)) * u).ToArray();
                Add(x[t], Linear(hidden, $"layers.{layer}.mlp.down_proj"));
            }
        }

        var head = _w.TryGetValue("lm_head.weight", out var untied) ? untied : _w["embed_tokens.weight"];
        var logits = new float[T * V];
        for (int t = 0; t < T; t++)
        {
            var final = RmsNorm(x[t], _w["norm.weight"]);
            for (int o = 0; o < V; o++)
            {
                double sum = 0;
                for (int j = 0; j < H; j++) sum += head[o * H + j] * final[j];
                logits[t * V + o] = (float)sum;
            }
        }
        return logits;
    }

    private double[] Linear(double[] input, string name)
    {
        var w = _w[name + ".weight"];
        _w.TryGetValue(name + ".bias", out var b);
        int outputs = w.Length / input.Length;
        var y = new double[outputs];
        for (int o = 0; o < outputs; o++)
        {
            double sum = b?[o] ?? 0;
            for (int i = 0; i < input.Length; i++) sum += w[o * input.Length + i] * input[i];
            y[o] = sum;
        }
        return y;
    }

    private static double[] RmsNorm(double[] x, float[] weight)
    {
        double scale = 1 / Math.Sqrt(x.Average(z => z * z) + TinyHuggingFaceLlama.Epsilon);
        return x.Select((z, i) => z * scale * weight[i]).ToArray();
    }

    private double[] HeadNorm(double[] x, string name) => c.QkNorm ? RmsNorm(x, _w[name]) : x;

    // Pairs (i, i + hs/2) rotate by position · θᵢ.
    private static double[] Rotate(double[] x, int position, double[] frequencies)
    {
        int half = x.Length / 2;
        var y = new double[x.Length];
        for (int i = 0; i < half; i++)
        {
            double angle = position * frequencies[i], cos = Math.Cos(angle), sin = Math.Sin(angle);
            y[i] = x[i] * cos - x[i + half] * sin;
            y[i + half] = x[i + half] * cos + x[i] * sin;
        }
        return y;
    }

    private static void Add(double[] x, double[] delta)
    {
        for (int i = 0; i < x.Length; i++) x[i] += delta[i];
    }
}
