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
    public const string FileName = "config.json";

    private static readonly string[] EncoderTypes = ["bert"];

    public static BertConfig Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"Checkpoint folder {folder} has no {FileName}.", path);
        JsonObject json;
        BertConfig config;
        try
        {
            var text = File.ReadAllText(path);
            json = JsonNode.Parse(text) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object.");
            config = JsonSerializer.Deserialize<BertConfig>(text) ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid BERT config: {e.Message}", e);
        }

        Refuse(path, json, "model_type", v => v is not null && !EncoderTypes.Contains(v.GetValue<string>()), "names another model type; only bert checkpoints load here");
        Refuse(path, json, "hidden_act", v => v is not null && v.GetValue<string>() != "gelu", "asks for an activation the model does not implement (it uses the exact GELU, \"gelu\")");
        Refuse(path, json, "position_embedding_type", v => v is not null && v.GetValue<string>() != "absolute", "asks for relative positions; the model has absolute ones");
        Refuse(path, json, "is_decoder", v => v is not null && v.GetValue<bool>(), "describes a decoder; the model is a bidirectional encoder");
        Refuse(path, json, "add_cross_attention", v => v is not null && v.GetValue<bool>(), "adds cross-attention, which the model does not have");
        try
        {
            config.Validate();
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path} describes a model that cannot be built: {e.Message}", e);
        }
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
        File.WriteAllText(Path.Combine(folder, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    private static void Refuse(string path, JsonObject json, string field, Func<JsonNode?, bool> unsupported, string reason)
    {
        bool refused;
        try
        {
            refused = unsupported(json[field]);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} has a {field} of the wrong type: {json[field]?.ToJsonString()}", e);
        }
        if (refused)
            throw new InvalidDataException($"{path} {reason} ({field} = {json[field]?.ToJsonString()}).");
    }
}
