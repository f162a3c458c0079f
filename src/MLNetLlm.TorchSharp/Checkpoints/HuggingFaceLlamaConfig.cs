using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Reads the <c>config.json</c> of a Hugging Face Llama-family checkpoint (<c>model_type</c> <c>llama</c>, which
/// includes SmolLM and TinyLlama, <c>qwen2</c> or <c>qwen3</c>) into a <see cref="LlamaConfig"/>, refusing what the
/// model does not compute, and refusing a model too large for this machine's memory before anything is allocated.
/// </summary>
internal static class HuggingFaceLlamaConfig
{
    /// <summary>The <c>model_type</c> values that load.</summary>
    public static IReadOnlyList<string> ModelTypes { get; } = ["llama", "qwen2", "qwen3"];

    public static LlamaConfig Read(string folder)
    {
        var (path, json, config) = HuggingFaceConfigFile.Read<LlamaConfig>(folder, "Llama-family");
        var modelType = json["model_type"] is JsonValue value && value.TryGetValue(out string? type) ? type : null;
        if (modelType is null || !ModelTypes.Contains(modelType))
            throw new InvalidDataException($"{path} has model_type {(modelType is null ? "missing" : $"'{modelType}'")}; the Llama-family loader reads {string.Join(", ", ModelTypes)}.");
        var missing = new[] { "vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers", "num_attention_heads" }.Where(field => json[field] is null).ToList();
        if (missing.Count > 0)
            throw new InvalidDataException($"{path} is not a {modelType} config: it lacks {string.Join(", ", missing)}.");

        HuggingFaceConfigFile.Refuse(path, json, "hidden_act", node => node is not null && node.GetValue<string>() != "silu", "asks for an activation other than silu, which the SwiGLU MLP uses");
        HuggingFaceConfigFile.Refuse(path, json, "mlp_bias", node => node is not null && node.GetValue<bool>(), "gives the MLP biases, which the model does not have");
        HuggingFaceConfigFile.Refuse(path, json, "use_sliding_window", node => node is not null && node.GetValue<bool>(), "asks for sliding-window attention, which the model does not implement");
        config = modelType switch
        {
            "qwen2" => config with { QkvBias = true },
            "qwen3" => config with { QkNorm = true },
            _ => config,
        };
        config = config with { RopeScaling = ReadRopeScaling(path, json["rope_scaling"]) };
        HuggingFaceConfigFile.Validate(path, config.Validate);
        RefuseTooLarge(path, config);
        return config;
    }

    /// <summary>
    /// Writes <paramref name="config"/> as a Hugging Face <c>config.json</c>: <c>qwen3</c> when it has QK-norm, else
    /// <c>llama</c> with its <c>attention_bias</c> (which is how Qwen2's biases read back as well).
    /// </summary>
    public static void Write(string folder, LlamaConfig config)
    {
        bool qwen3 = config.QkNorm;
        var json = new JsonObject
        {
            ["model_type"] = qwen3 ? "qwen3" : "llama",
            ["architectures"] = new JsonArray(qwen3 ? "Qwen3ForCausalLM" : "LlamaForCausalLM"),
            ["vocab_size"] = config.VocabularySize,
            ["hidden_size"] = config.HiddenSize,
            ["intermediate_size"] = config.IntermediateSize,
            ["num_hidden_layers"] = config.Layers,
            ["num_attention_heads"] = config.Heads,
            ["num_key_value_heads"] = config.KvHeads,
            ["head_dim"] = config.HeadSize,
            ["max_position_embeddings"] = config.ContextLength,
            ["rms_norm_eps"] = config.RmsNormEpsilon,
            ["rope_theta"] = config.RopeTheta,
            ["rope_scaling"] = config.RopeScaling is null ? null : JsonSerializer.SerializeToNode(config.RopeScaling),
            ["hidden_act"] = "silu",
            ["attention_bias"] = config.QkvBias,
            ["attention_dropout"] = config.Dropout,
            ["tie_word_embeddings"] = config.TiedOutputHead,
            ["torch_dtype"] = "float32",
        };
        HuggingFaceConfigFile.Write(folder, json);
    }

    // Older files name the type "type"; "default" (or no object) means plain rotary embeddings.
    private static LlamaRopeScaling? ReadRopeScaling(string path, JsonNode? node)
    {
        if (node is null) return null;
        try
        {
            var type = (node["rope_type"] ?? node["type"])?.GetValue<string>();
            if (type == "default") return null;
            if (type != LlamaRopeScaling.Llama3)
                throw new InvalidDataException($"{path} asks for rotary scaling '{type ?? "(no type)"}', which is not implemented; only '{LlamaRopeScaling.Llama3}' is.");
            return node.Deserialize<LlamaRopeScaling>()! with { RopeType = type };
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} has a rope_scaling that cannot be read: {node.ToJsonString()}", e);
        }
    }

    private static void RefuseTooLarge(string path, LlamaConfig config)
    {
        double parameters = ParameterCount(config);
        double available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (parameters * sizeof(float) > available)
            throw new InvalidDataException($"{path} describes a model of {parameters:N0} parameters, {parameters * sizeof(float) / 1e9:N1} GB as float32, more than the {available / 1e9:N1} GB of memory available.");
    }

    /// <summary>The number of parameters a config builds, in floating point so hostile sizes cannot overflow.</summary>
    internal static double ParameterCount(LlamaConfig c)
    {
        double width = c.HiddenSize, attention = (double)c.Heads * c.HeadSize, keyValue = (double)c.KvHeads * c.HeadSize;
        double perLayer = width * (attention + 2 * keyValue) + attention * width + 3 * width * c.IntermediateSize + 2 * width
                          + (c.QkvBias ? attention + 2 * keyValue : 0) + (c.QkNorm ? 2.0 * c.HeadSize : 0);
        return (double)c.VocabularySize * width * (c.TiedOutputHead ? 1 : 2) + c.Layers * perLayer + width;
    }
}
