using System.Text.Json.Nodes;
using MLNetLlm.Persistence;

namespace MLNetLlm.TorchSharp.Tests.Llama;

/// <summary>
/// A tiny Llama-family checkpoint with seeded random weights, written by the test itself in the exact Hugging Face
/// layout (<c>model.</c> prefix, Linear [out, in]) with the core safetensors writer, never through the code under test.
/// Each model type exercises its own parts: <c>llama</c> grouped-query attention, Llama 3 rotary scaling and an untied
/// head; <c>qwen2</c> query/key/value biases, one key/value head and a tied head; <c>qwen3</c> QK-norm and a head width
/// that is not hidden / heads.
/// </summary>
internal sealed class TinyHuggingFaceLlama
{
    public const int Vocabulary = 272, Hidden = 32, Intermediate = 48, Layers = 2, Heads = 4, Context = 64;
    public const double Epsilon = 1e-5;

    public TinyHuggingFaceLlama(string modelType, int seed = 7, int vocabulary = Vocabulary)
    {
        ModelType = modelType;
        VocabularySize = vocabulary;
        (KvHeads, HeadSize, Tied, Bias, QkNorm, Theta) = modelType switch
        {
            "llama" => (2, Hidden / Heads, false, false, false, 500000.0),
            "qwen2" => (1, Hidden / Heads, true, true, false, 1000000.0),
            "qwen3" => (2, 16, true, false, true, 1000000.0),
            _ => throw new ArgumentException(modelType),
        };
        var random = new Random(seed);
        float[] Noise(int count, double scale, double center = 0) =>
            Enumerable.Range(0, count).Select(_ => (float)(center + scale * (random.NextDouble() * 2 - 1))).ToArray();
        void Add(string name, long[] shape, float[] values) { Weights[name] = values; Shapes[name] = shape; }

        int q = Heads * HeadSize, kv = KvHeads * HeadSize;
        Add("embed_tokens.weight", [vocabulary, Hidden], Noise(vocabulary * Hidden, 0.5));
        for (int i = 0; i < Layers; i++)
        {
            string p = $"layers.{i}.";
            Add(p + "input_layernorm.weight", [Hidden], Noise(Hidden, 0.2, 1));
            Add(p + "self_attn.q_proj.weight", [q, Hidden], Noise(q * Hidden, 0.3));
            Add(p + "self_attn.k_proj.weight", [kv, Hidden], Noise(kv * Hidden, 0.3));
            Add(p + "self_attn.v_proj.weight", [kv, Hidden], Noise(kv * Hidden, 0.3));
            if (Bias)
            {
                Add(p + "self_attn.q_proj.bias", [q], Noise(q, 0.1));
                Add(p + "self_attn.k_proj.bias", [kv], Noise(kv, 0.1));
                Add(p + "self_attn.v_proj.bias", [kv], Noise(kv, 0.1));
            }
            if (QkNorm)
            {
                Add(p + "self_attn.q_norm.weight", [HeadSize], Noise(HeadSize, 0.2, 1));
                Add(p + "self_attn.k_norm.weight", [HeadSize], Noise(HeadSize, 0.2, 1));
            }
            Add(p + "self_attn.o_proj.weight", [Hidden, q], Noise(Hidden * q, 0.2));
            Add(p + "post_attention_layernorm.weight", [Hidden], Noise(Hidden, 0.2, 1));
            Add(p + "mlp.gate_proj.weight", [Intermediate, Hidden], Noise(Intermediate * Hidden, 0.3));
            Add(p + "mlp.up_proj.weight", [Intermediate, Hidden], Noise(Intermediate * Hidden, 0.3));
            Add(p + "mlp.down_proj.weight", [Hidden, Intermediate], Noise(Hidden * Intermediate, 0.2));
        }
        Add("norm.weight", [Hidden], Noise(Hidden, 0.2, 1));
        if (!Tied) Add("lm_head.weight", [vocabulary, Hidden], Noise(vocabulary * Hidden, 0.5));
    }

    public string ModelType { get; }

    /// <summary>The rows of the embedding matrix: <see cref="Vocabulary"/> unless the test asks for a larger tokenizer's.</summary>
    public int VocabularySize { get; }
    public int KvHeads { get; }
    public int HeadSize { get; }
    public bool Tied { get; }
    public bool Bias { get; }
    public bool QkNorm { get; }
    public double Theta { get; }

    /// <summary>Llama 3 scaling with an original context of 256, so the tiny head's 4 frequencies hit all three branches.</summary>
    public bool Llama3Scaling => ModelType == "llama";

    /// <summary>Tensors by name without the <c>model.</c> prefix, row-major.</summary>
    public Dictionary<string, float[]> Weights { get; } = new();

    public Dictionary<string, long[]> Shapes { get; } = new();

    /// <summary>A prompt of 13 ids, longer than a few tokens.</summary>
    public static int[] SampleIds { get; } = [3, 17, 0, 260, 42, 42, 9, 28, 5, 33, 101, 7, 199];

    public ReferenceLlamaForward Reference => new(this);

    public void RoundTo(SafetensorsDType dtype)
    {
        foreach (var values in Weights.Values)
        {
            var bytes = new byte[values.Length * dtype.ElementSize()];
            SafetensorsFloats.FromSingle(values, dtype, bytes);
            SafetensorsFloats.ToSingle(bytes, dtype, values);
        }
    }

    public JsonObject Config()
    {
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelType switch { "llama" => "LlamaForCausalLM", "qwen2" => "Qwen2ForCausalLM", _ => "Qwen3ForCausalLM" }),
            ["model_type"] = ModelType,
            ["vocab_size"] = VocabularySize,
            ["hidden_size"] = Hidden,
            ["intermediate_size"] = Intermediate,
            ["num_hidden_layers"] = Layers,
            ["num_attention_heads"] = Heads,
            ["num_key_value_heads"] = KvHeads,
            ["max_position_embeddings"] = Context,
            ["rms_norm_eps"] = Epsilon,
            ["rope_theta"] = Theta,
            ["hidden_act"] = "silu",
            ["tie_word_embeddings"] = Tied,
            ["torch_dtype"] = "bfloat16",
        };
        if (ModelType == "qwen3") { json["head_dim"] = HeadSize; json["attention_bias"] = false; }
        if (ModelType == "qwen2") json["use_sliding_window"] = false;
        if (Llama3Scaling)
            json["rope_scaling"] = new JsonObject { ["rope_type"] = "llama3", ["factor"] = 8.0, ["low_freq_factor"] = 1.0, ["high_freq_factor"] = 4.0, ["original_max_position_embeddings"] = 256 };
        return json;
    }

    public void WriteConfig(string folder, Action<JsonObject>? edit = null)
    {
        var json = Config();
        edit?.Invoke(json);
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "config.json"), json.ToJsonString());
    }

    public List<SafetensorsEntry> Entries(SafetensorsDType dtype = SafetensorsDType.F32) =>
        [.. Weights.Select(w => SafetensorsEntry.FromSingles(w.Key == "lm_head.weight" ? w.Key : "model." + w.Key, w.Value, Shapes[w.Key], dtype))];

    /// <summary>Writes config, one <c>model.safetensors</c> and the tiny tokenizer.</summary>
    public void WriteTo(string folder, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        WriteConfig(folder);
        SafetensorsWriter.Write(Path.Combine(folder, "model.safetensors"), Entries(dtype), new Dictionary<string, string> { ["format"] = "pt" });
        TinyTokenizerJson.WriteTo(folder);
    }
}
