using System.Text.Json.Nodes;
using MLNetLlm.Persistence;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

/// <summary>
/// A tiny GPT-2 with seeded random weights, written by the test itself in the Hugging Face layout (Conv1D weights
/// stored [in, out]) with the core safetensors writer, never through the code under test.
/// </summary>
internal sealed class TinyHuggingFaceGpt2
{
    public const int Vocabulary = 61, Context = 16, Width = 32, Heads = 4, Layers = 2;
    public const double Epsilon = 1e-5;

    public TinyHuggingFaceGpt2(int seed = 7, bool tied = true)
    {
        Tied = tied;
        var random = new Random(seed);
        float[] Noise(int count, double scale, double center = 0) =>
            Enumerable.Range(0, count).Select(_ => (float)(center + scale * (random.NextDouble() * 2 - 1))).ToArray();

        void Add(string name, long[] shape, float[] values) { Weights[name] = values; Shapes[name] = shape; }
        Add("wte.weight", [Vocabulary, Width], Noise(Vocabulary * Width, 0.5));
        Add("wpe.weight", [Context, Width], Noise(Context * Width, 0.2));
        for (int i = 0; i < Layers; i++)
        {
            string p = $"h.{i}.";
            Add(p + "ln_1.weight", [Width], Noise(Width, 0.2, 1));
            Add(p + "ln_1.bias", [Width], Noise(Width, 0.1));
            Add(p + "attn.c_attn.weight", [Width, 3 * Width], Noise(Width * 3 * Width, 0.3));
            Add(p + "attn.c_attn.bias", [3 * Width], Noise(3 * Width, 0.1));
            Add(p + "attn.c_proj.weight", [Width, Width], Noise(Width * Width, 0.2));
            Add(p + "attn.c_proj.bias", [Width], Noise(Width, 0.1));
            Add(p + "ln_2.weight", [Width], Noise(Width, 0.2, 1));
            Add(p + "ln_2.bias", [Width], Noise(Width, 0.1));
            Add(p + "mlp.c_fc.weight", [Width, 4 * Width], Noise(Width * 4 * Width, 0.3));
            Add(p + "mlp.c_fc.bias", [4 * Width], Noise(4 * Width, 0.1));
            Add(p + "mlp.c_proj.weight", [4 * Width, Width], Noise(4 * Width * Width, 0.15));
            Add(p + "mlp.c_proj.bias", [Width], Noise(Width, 0.1));
        }
        Add("ln_f.weight", [Width], Noise(Width, 0.2, 1));
        Add("ln_f.bias", [Width], Noise(Width, 0.1));
        if (!tied) Add("lm_head.weight", [Vocabulary, Width], Noise(Vocabulary * Width, 0.5));
    }

    public bool Tied { get; }

    /// <summary>Tensors by Hugging Face name (no prefix), row-major, in the model's order.</summary>
    public Dictionary<string, float[]> Weights { get; } = new();

    public Dictionary<string, long[]> Shapes { get; } = new();

    public static int[] SampleIds { get; } = [3, 17, 0, 60, 42, 42, 9, 28, 5, 33];

    /// <summary>Rounds every weight through <paramref name="dtype"/>, so the reference sees what a reduced-precision file holds.</summary>
    public void RoundTo(SafetensorsDType dtype)
    {
        foreach (var (name, values) in Weights)
        {
            var bytes = new byte[values.Length * dtype.ElementSize()];
            SafetensorsFloats.FromSingle(values, dtype, bytes);
            SafetensorsFloats.ToSingle(bytes, dtype, values);
        }
    }

    /// <summary>The reference logits for <see cref="SampleIds"/>.</summary>
    public float[] ReferenceLogits() => ReferenceGpt2Forward.Logits(Weights, Layers, Heads, Epsilon, SampleIds);

    /// <summary>Writes <c>config.json</c> with Hugging Face's fields.</summary>
    public void WriteConfig(string folder, Action<JsonObject>? edit = null)
    {
        var json = new JsonObject
        {
            ["model_type"] = "gpt2",
            ["activation_function"] = "gelu_new",
            ["vocab_size"] = Vocabulary,
            ["n_positions"] = Context,
            ["n_ctx"] = Context,
            ["n_embd"] = Width,
            ["n_layer"] = Layers,
            ["n_head"] = Heads,
            ["layer_norm_epsilon"] = Epsilon,
            ["resid_pdrop"] = 0.1,
        };
        if (!Tied) json["tie_word_embeddings"] = false;
        edit?.Invoke(json);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), json.ToJsonString());
    }

    /// <summary>The tensors as safetensors entries, in the layout of an HF checkpoint.</summary>
    /// <param name="dtype">How floats are stored.</param>
    /// <param name="prefix">Prepended to every name but <c>lm_head.weight</c>, as <c>GPT2LMHeadModel</c> does.</param>
    /// <param name="withBuffers">Adds the <c>attn.bias</c>/<c>attn.masked_bias</c> buffers of old checkpoints.</param>
    public List<SafetensorsEntry> Entries(SafetensorsDType dtype = SafetensorsDType.F32, string prefix = "", bool withBuffers = false)
    {
        var entries = new List<SafetensorsEntry>();
        foreach (var (name, values) in Weights)
        {
            entries.Add(SafetensorsEntry.FromSingles(name == "lm_head.weight" ? name : prefix + name, values, Shapes[name], dtype));
            if (withBuffers && name.EndsWith(".attn.c_attn.weight"))
            {
                var block = prefix + name[..^".c_attn.weight".Length];
                var mask = Enumerable.Range(0, Context * Context).Select(i => i % Context <= i / Context ? 1f : 0f).ToArray();
                entries.Add(SafetensorsEntry.FromSingles(block + ".bias", mask, [1, 1, Context, Context]));
                entries.Add(SafetensorsEntry.FromSingles(block + ".masked_bias", [-1e4f], []));
            }
        }
        return entries;
    }

    /// <summary>Writes config and a single <c>model.safetensors</c>.</summary>
    public void WriteTo(string folder, SafetensorsDType dtype = SafetensorsDType.F32, string prefix = "", bool withBuffers = false)
    {
        WriteConfig(folder);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), Entries(dtype, prefix, withBuffers), new Dictionary<string, string> { ["format"] = "pt" });
    }
}
