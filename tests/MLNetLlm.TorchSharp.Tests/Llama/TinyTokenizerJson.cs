using System.Text.Json.Nodes;

namespace MLNetLlm.TorchSharp.Tests.Llama;

/// <summary>
/// A tiny byte-level BPE in Hugging Face's <c>tokenizer.json</c> layout, written by hand: the 256 byte tokens (id = byte
/// value, spelled in GPT-2's byte alphabet), four merges (he, ll, hell, Ġw) and three added special tokens, with Qwen's
/// Split + ByteLevel pre-tokenizer; <c>tokenizer_config.json</c> names the end-of-text token.
/// </summary>
internal static class TinyTokenizerJson
{
    public const int EndOfText = 260, ImStart = 261, ImEnd = 262, Size = 263;

    public const string QwenPattern = @"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    /// <summary>GPT-2's byte → character table, built here from its definition.</summary>
    public static string ByteToken(int b)
    {
        var printable = Enumerable.Range('!', '~' - '!' + 1).Concat(Enumerable.Range('¡', '¬' - '¡' + 1)).Concat(Enumerable.Range('®', 'ÿ' - '®' + 1)).ToList();
        if (printable.Contains(b)) return ((char)b).ToString();
        int n = Enumerable.Range(0, b).Count(x => !printable.Contains(x));
        return ((char)(256 + n)).ToString();
    }

    public static JsonObject Json(Action<JsonObject>? edit = null)
    {
        var vocab = new JsonObject();
        for (int b = 0; b < 256; b++) vocab[ByteToken(b)] = b;
        vocab["he"] = 256;
        vocab["ll"] = 257;
        vocab["hell"] = 258;
        vocab["Ġw"] = 259;
        JsonObject Added(int id, string content) => new() { ["id"] = id, ["content"] = content, ["single_word"] = false, ["lstrip"] = false, ["rstrip"] = false, ["normalized"] = false, ["special"] = true };
        var json = new JsonObject
        {
            ["version"] = "1.0",
            ["added_tokens"] = new JsonArray(Added(EndOfText, "<|endoftext|>"), Added(ImStart, "<|im_start|>"), Added(ImEnd, "<|im_end|>")),
            ["normalizer"] = new JsonObject { ["type"] = "NFC" },
            ["pre_tokenizer"] = new JsonObject
            {
                ["type"] = "Sequence",
                ["pretokenizers"] = new JsonArray(
                    new JsonObject { ["type"] = "Split", ["pattern"] = new JsonObject { ["Regex"] = QwenPattern }, ["behavior"] = "Isolated", ["invert"] = false },
                    new JsonObject { ["type"] = "ByteLevel", ["add_prefix_space"] = false, ["trim_offsets"] = false, ["use_regex"] = false }),
            },
            ["decoder"] = new JsonObject { ["type"] = "ByteLevel" },
            ["model"] = new JsonObject
            {
                ["type"] = "BPE",
                ["byte_fallback"] = false,
                ["vocab"] = vocab,
                ["merges"] = new JsonArray("h e", "l l", new JsonArray("he", "ll"), "Ġ w"),
            },
        };
        edit?.Invoke(json);
        return json;
    }

    public static void WriteTo(string folder, Action<JsonObject>? edit = null)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "tokenizer.json"), Json(edit).ToJsonString());
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"),
            new JsonObject { ["eos_token"] = "<|endoftext|>", ["pad_token"] = new JsonObject { ["content"] = "<|im_end|>" } }.ToJsonString());
    }
}
