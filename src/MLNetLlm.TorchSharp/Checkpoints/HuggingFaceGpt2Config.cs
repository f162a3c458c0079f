using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Reads and writes the <c>config.json</c> of a Hugging Face GPT-2 checkpoint. <see cref="GptConfig"/> already uses
/// its field names; this adds the older <c>n_ctx</c> spelling and refuses the GPT-2 variants our model does not
/// implement, rather than loading them into a model that would compute something else.
/// </summary>
internal static class HuggingFaceGpt2Config
{
    public const string FileName = HuggingFaceConfigFile.FileName;

    private static readonly string[] TanhGelus = ["gelu_new", "gelu_pytorch_tanh", "gelu_fast"];

    public static GptConfig Read(string folder)
    {
        var (path, json, config) = HuggingFaceConfigFile.Read<GptConfig>(folder, "GPT-2", "vocab_size", "n_embd", "n_layer", "n_head");
        HuggingFaceConfigFile.Refuse(path, json, "model_type", value => value is not null && value.GetValue<string>() != "gpt2", "names another model type; only gpt2 checkpoints load here");
        HuggingFaceConfigFile.Refuse(path, json, "activation_function", value => value is not null && !TanhGelus.Contains(value.GetValue<string>()),
            $"asks for an activation the model does not implement (it uses the tanh GELU: {string.Join(", ", TanhGelus)})");
        HuggingFaceConfigFile.Refuse(path, json, "n_inner", value => value is not null && value.GetValue<int>() != 4 * config.EmbeddingSize,
            $"sets an MLP width other than 4 x n_embd ({4 * config.EmbeddingSize})");
        HuggingFaceConfigFile.Refuse(path, json, "scale_attn_weights", value => value is not null && !value.GetValue<bool>(),
            "turns off the 1/sqrt(head size) attention scaling, which the model always applies");
        HuggingFaceConfigFile.Refuse(path, json, "scale_attn_by_inverse_layer_idx", value => value is not null && value.GetValue<bool>(),
            "scales attention by the inverse layer index, which the model does not do");
        HuggingFaceConfigFile.Refuse(path, json, "add_cross_attention", value => value is not null && value.GetValue<bool>(), "adds cross-attention, which the model does not have");

        if (!json.ContainsKey("n_positions") && json["n_ctx"] is { } context)
            config = config with { ContextLength = context.GetValue<int>() };
        HuggingFaceConfigFile.Validate(path, config.Validate);
        return config;
    }

    public static void Write(string folder, GptConfig config)
    {
        if (!config.QkvBias)
            throw new NotSupportedException("Hugging Face GPT-2 always has a query/key/value bias; a model with QkvBias = false cannot be exported in its layout.");
        var json = new JsonObject
        {
            ["model_type"] = "gpt2",
            ["architectures"] = new JsonArray("GPT2LMHeadModel"),
            ["vocab_size"] = config.VocabularySize,
            ["n_positions"] = config.ContextLength,
            ["n_ctx"] = config.ContextLength,
            ["n_embd"] = config.EmbeddingSize,
            ["n_layer"] = config.Layers,
            ["n_head"] = config.Heads,
            ["n_inner"] = null,
            ["activation_function"] = "gelu_new",
            ["layer_norm_epsilon"] = config.LayerNormEpsilon,
            ["resid_pdrop"] = config.Dropout,
            ["embd_pdrop"] = config.Dropout,
            ["attn_pdrop"] = config.Dropout,
            ["tie_word_embeddings"] = config.TiedOutputHead,
            ["torch_dtype"] = "float32",
        };
        HuggingFaceConfigFile.Write(folder, json);
    }
}
