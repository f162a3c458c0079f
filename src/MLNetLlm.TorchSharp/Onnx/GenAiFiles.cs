using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MLNetLlm.Onnx;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Onnx;

/// <summary>
/// The files ONNX Runtime GenAI reads beside a <see cref="LlmOnnxKind.GptWithPast"/> export: <c>genai_config.json</c>
/// (which graph inputs and outputs are which, the key/value layout, sizes, special ids and search defaults) and the
/// Hugging Face <c>tokenizer.json</c> and <c>tokenizer_config.json</c> of a GPT-2-style byte-level BPE.
/// </summary>
/// <remarks>
/// The model type is <c>llama</c>, GenAI's generic decoder: it feeds separate <c>past_key_values.i.key</c>/<c>.value</c>
/// tensors [batch, heads, past, head_size], which is our layout. GenAI's own <c>gpt2</c> type expects the older combined
/// <c>past_i</c> [2, batch, heads, past, head_size] tensors instead. <c>past_present_share_buffer</c> is false: our graph
/// reads the past length from the past tensors' shape and appends to them, so the past must hold exactly the tokens seen.
/// </remarks>
internal static class GenAiFiles
{
    public const string ConfigFileName = "genai_config.json";
    public const string TokenizerFileName = "tokenizer.json";
    public const string TokenizerConfigFileName = "tokenizer_config.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Checks that GenAI can be given <paramref name="tokenizer"/>; returns it as the byte-level BPE it must be.</summary>
    /// <exception cref="ArgumentException">The tokenizer is not a byte-level BPE with an end-of-text token.</exception>
    public static BpeLlmTokenizer RequireTokenizer(LlmTokenizer tokenizer)
    {
        if (tokenizer is not BpeLlmTokenizer { Options.ByteLevel: true } bpe)
            throw new ArgumentException($"OnnxExportOptions.WriteGenAiConfig writes a GPT-2 byte-level BPE tokenizer.json; the tokenizer '{tokenizer.Name}' is not one (a tiktoken or WordPiece tokenizer has no such file here).", nameof(tokenizer));
        if (bpe.Options.PreTokenizerPattern != BpeTokenizerOptions.Gpt2PreTokenizerPattern)
            throw new ArgumentException("OnnxExportOptions.WriteGenAiConfig needs the GPT-2 pre-tokenizer pattern: GenAI's ByteLevel pre-tokenizer splits words with GPT-2's, so another pattern would give other ids.", nameof(tokenizer));
        if (bpe.EndOfTextId is null)
            throw new ArgumentException("OnnxExportOptions.WriteGenAiConfig needs a tokenizer with an end-of-text token: GenAI stops at eos_token_id.", nameof(tokenizer));
        return bpe;
    }

    /// <summary>Writes the three files into the folder of <paramref name="modelPath"/>, replacing any there.</summary>
    public static void Write(string modelPath, GptConfig config, BpeLlmTokenizer tokenizer)
    {
        string folder = Path.GetDirectoryName(Path.GetFullPath(modelPath))!;
        var files = new (string Name, JsonNode Content)[]
        {
            (ConfigFileName, Config(Path.GetFileName(modelPath), config, tokenizer)),
            (TokenizerFileName, Tokenizer(tokenizer)),
            (TokenizerConfigFileName, TokenizerConfig(tokenizer, config.ContextLength)),
        };
        foreach (var (name, content) in files)
            File.WriteAllText(Path.Combine(folder, name), content.ToJsonString(Json), new UTF8Encoding(false));
    }

    private static JsonObject Config(string fileName, GptConfig config, BpeLlmTokenizer tokenizer)
    {
        int endOfText = tokenizer.EndOfTextId!.Value;
        return new JsonObject
        {
            ["model"] = new JsonObject
            {
                ["type"] = "llama",
                ["bos_token_id"] = endOfText,
                ["eos_token_id"] = endOfText,
                ["pad_token_id"] = tokenizer.PaddingId ?? endOfText,
                ["context_length"] = config.ContextLength,
                ["vocab_size"] = config.VocabularySize,
                ["decoder"] = new JsonObject
                {
                    ["filename"] = fileName,
                    ["session_options"] = new JsonObject { ["log_id"] = "onnxruntime-genai", ["provider_options"] = new JsonArray() },
                    ["head_size"] = config.HeadSize,
                    ["hidden_size"] = config.EmbeddingSize,
                    ["num_attention_heads"] = config.Heads,
                    ["num_key_value_heads"] = config.Heads,
                    ["num_hidden_layers"] = config.Layers,
                    ["inputs"] = new JsonObject
                    {
                        ["input_ids"] = LlmOnnxNames.InputIds,
                        ["attention_mask"] = LlmOnnxNames.AttentionMask,
                        ["position_ids"] = LlmOnnxNames.PositionIds,
                        ["past_key_names"] = LlmOnnxNames.PastKey(0).Replace(".0.", ".%d.", StringComparison.Ordinal),
                        ["past_value_names"] = LlmOnnxNames.PastValue(0).Replace(".0.", ".%d.", StringComparison.Ordinal),
                    },
                    ["outputs"] = new JsonObject
                    {
                        ["logits"] = LlmOnnxNames.Logits,
                        ["present_key_names"] = LlmOnnxNames.PresentKey(0).Replace(".0.", ".%d.", StringComparison.Ordinal),
                        ["present_value_names"] = LlmOnnxNames.PresentValue(0).Replace(".0.", ".%d.", StringComparison.Ordinal),
                    },
                },
            },
            ["search"] = new JsonObject
            {
                ["do_sample"] = false,
                ["max_length"] = config.ContextLength,
                ["min_length"] = 0,
                ["num_beams"] = 1,
                ["num_return_sequences"] = 1,
                ["past_present_share_buffer"] = false,
                ["repetition_penalty"] = 1.0,
                ["temperature"] = 1.0,
                ["top_k"] = 1,
                ["top_p"] = 1.0,
                ["early_stopping"] = true,
                ["length_penalty"] = 1.0,
                ["diversity_penalty"] = 0.0,
                ["no_repeat_ngram_size"] = 0,
            },
        };
    }

    // Hugging Face's tokenizers format for GPT-2: byte-level pre-tokenizer and decoder, BPE model, specials as added tokens.
    private static JsonObject Tokenizer(BpeLlmTokenizer tokenizer)
    {
        var vocabulary = new JsonObject();
        foreach (var (token, id) in tokenizer.Vocabulary.OrderBy(kv => kv.Value)) vocabulary[token] = id;
        var merges = new JsonArray([.. tokenizer.Merges.Select(m => (JsonNode)$"{m.Left} {m.Right}")]);
        var added = new JsonArray([.. tokenizer.SpecialTokens.OrderBy(kv => kv.Value).Select(kv => (JsonNode)new JsonObject
        {
            ["id"] = kv.Value, ["content"] = kv.Key, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false,
            ["normalized"] = false, ["special"] = true,
        })]);
        JsonObject ByteLevel() => new() { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = true, ["use_regex"] = true };
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = ByteLevel(),
            ["post_processor"] = ByteLevel(),
            ["decoder"] = ByteLevel(),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["vocab"] = vocabulary, ["merges"] = merges,
            },
        };
    }

    private static JsonObject TokenizerConfig(BpeLlmTokenizer tokenizer, int contextLength)
    {
        string endOfText = tokenizer.Options.EndOfTextToken!;
        return new JsonObject
        {
            ["tokenizer_class"] = "GPT2Tokenizer",
            ["add_prefix_space"] = false,
            ["add_bos_token"] = false,
            ["bos_token"] = endOfText,
            ["eos_token"] = endOfText,
            ["unk_token"] = endOfText,
            ["pad_token"] = tokenizer.Options.PaddingToken,
            ["model_max_length"] = contextLength,
            ["clean_up_tokenization_spaces"] = false,
        };
    }
}
