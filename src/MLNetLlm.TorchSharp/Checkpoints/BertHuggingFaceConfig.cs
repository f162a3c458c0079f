using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Reads and writes the <c>config.json</c> of a Hugging Face BERT checkpoint. <see cref="BertConfig"/> already uses its
/// field names; this refuses the variants <see cref="BertModel"/> does not compute (another activation, relative
/// positions, a decoder), rather than loading them into a model that would compute something else.
/// </summary>
internal static class BertHuggingFaceConfig
{
    public const string FileName = HuggingFaceConfigFile.FileName;

    private static readonly string[] EncoderTypes = ["bert"];

    public static BertConfig Read(string folder)
    {
        var (path, json, config) = HuggingFaceConfigFile.Read<BertConfig>(folder, "BERT", "vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads", "intermediate_size");
        HuggingFaceConfigFile.Refuse(path, json, "model_type", v => v is not null && !EncoderTypes.Contains(v.GetValue<string>()), "names another model type; only bert checkpoints load here");
        HuggingFaceConfigFile.Refuse(path, json, "hidden_act", v => v is not null && v.GetValue<string>() != "gelu", "asks for an activation the model does not implement (it uses the exact GELU, \"gelu\")");
        HuggingFaceConfigFile.Refuse(path, json, "position_embedding_type", v => v is not null && v.GetValue<string>() != "absolute", "asks for relative positions; the model has absolute ones");
        HuggingFaceConfigFile.Refuse(path, json, "is_decoder", v => v is not null && v.GetValue<bool>(), "describes a decoder; the model is a bidirectional encoder");
        HuggingFaceConfigFile.Refuse(path, json, "add_cross_attention", v => v is not null && v.GetValue<bool>(), "adds cross-attention, which the model does not have");
        HuggingFaceConfigFile.Validate(path, config.Validate);
        return config;
    }

    public static void Write(string folder, BertConfig config)
    {
        var json = new JsonObject
        {
            ["model_type"] = "bert",
            ["architectures"] = new JsonArray("BertModel"),
            ["vocab_size"] = config.VocabularySize,
            ["hidden_size"] = config.HiddenSize,
            ["num_hidden_layers"] = config.Layers,
            ["num_attention_heads"] = config.Heads,
            ["intermediate_size"] = config.IntermediateSize,
            ["hidden_act"] = "gelu",
            ["max_position_embeddings"] = config.MaxPositions,
            ["type_vocab_size"] = config.TypeVocabularySize,
            ["layer_norm_eps"] = config.LayerNormEpsilon,
            ["hidden_dropout_prob"] = config.HiddenDropout,
            ["attention_probs_dropout_prob"] = config.AttentionDropout,
            ["position_embedding_type"] = "absolute",
            ["pad_token_id"] = 0,
            ["torch_dtype"] = "float32",
        };
        HuggingFaceConfigFile.Write(folder, json);
    }
}
