using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetLlm.Tokenization;

/// <summary>
/// Reads a Hugging Face <c>tokenizer.json</c> of a byte-level BPE (Llama 3, Qwen2/3, SmolLM, GPT-2) into a
/// <see cref="BpeLlmTokenizer"/>, keeping every id: the model's vocabulary and merges, the added tokens at their ids,
/// the pre-tokenizer's split pattern, and the end-of-text and padding tokens named by <c>tokenizer_config.json</c>.
/// </summary>
/// <remarks>
/// Pre-tokenizers understood: <c>ByteLevel</c> with its GPT-2 pattern; a <c>Split</c> regex followed by a
/// <c>ByteLevel</c> without its own pattern (Llama 3, Qwen); <c>Digits</c> (one digit a word) followed by
/// <c>ByteLevel</c> (SmolLM). Anything else (SentencePiece-style byte fallback, Metaspace, WordPiece) is refused by name.
/// A <c>NFC</c> normalizer is accepted without being applied: text that is not already NFC may get other ids.
/// </remarks>
internal static class HuggingFaceTokenizerFile
{
    public const string FileName = "tokenizer.json";

    /// <summary>GPT-2's pattern with each digit a word of its own, as a <c>Digits(individual_digits)</c> pre-tokenizer makes it.</summary>
    private const string SingleDigitsPattern = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+";

    public static BpeLlmTokenizer Read(string folder) => FromJson(folder, Parse(folder));

    /// <summary>The folder's <c>tokenizer.json</c> as JSON.</summary>
    /// <exception cref="FileNotFoundException">The folder has none.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON object.</exception>
    public static JsonObject Parse(string folder)
    {
        var path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new FileNotFoundException($"{folder} has no {FileName}.", path);
        try
        {
            using var stream = File.OpenRead(path);
            return JsonNode.Parse(stream) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not valid JSON: {e.Message}", e);
        }
    }

    /// <summary>
    /// What makes <paramref name="json"/> a SentencePiece-style tokenizer (a Unigram model, a BPE with byte fallback, a
    /// Metaspace pre-tokenizer or a normalizer that writes U+2581 for spaces), or null for a byte-level one.
    /// </summary>
    public static string? SentencePieceStyle(JsonObject json)
    {
        var model = json["model"] as JsonObject;
        if (model?["type"] is JsonValue type && type.TryGetValue<string>(out var kind) && kind == "Unigram")
            return "a Unigram model";
        if (model?["byte_fallback"] is JsonValue fallback && fallback.TryGetValue<bool>(out bool bytes) && bytes)
            return "a BPE model with byte_fallback";
        if (json["pre_tokenizer"]?.ToJsonString().Contains("\"Metaspace\"", StringComparison.Ordinal) == true)
            return "a Metaspace pre-tokenizer";
        if (json["normalizer"]?.ToJsonString().Contains("\\u2581", StringComparison.Ordinal) == true || json["normalizer"]?.ToJsonString().Contains('\u2581') == true)
            return "a normalizer that writes spaces as U+2581";
        return null;
    }

    /// <summary>The byte-level BPE of an already parsed <c>tokenizer.json</c>; a SentencePiece-style one is refused by name.</summary>
    public static BpeLlmTokenizer FromJson(string folder, JsonObject json)
    {
        var path = Path.Combine(folder, FileName);
        if (SentencePieceStyle(json) is string style)
            throw new InvalidDataException($"{path} is a SentencePiece-style tokenizer ({style}), not a byte-level BPE. SentencePiece tokenizers load from the " +
                $"folder's {SentencePieceLlmTokenizer.ModelFileName} (LlmTokenizers.HuggingFaceFolder or LlmTokenizers.SentencePiece); this reader takes only byte-level BPE files.");
        try
        {
            var model = json["model"] as JsonObject ?? throw new InvalidDataException($"{path} has no \"model\" object.");
            var type = model["type"]?.GetValue<string>();
            if (type != "BPE")
                throw new InvalidDataException($"{path} holds a {type ?? "untyped"} model; only byte-level BPE tokenizer.json files load here.");
            var normalizer = json["normalizer"]?["type"]?.GetValue<string>();
            if (normalizer is not null and not "NFC")
                throw new InvalidDataException($"{path} has a {normalizer} normalizer, which is not implemented.");

            var vocabulary = ReadVocabulary(path, model["vocab"] as JsonObject);
            var merges = ReadMerges(path, model["merges"] as JsonArray, vocabulary);
            var specials = new List<string>();
            var tokenOfId = vocabulary.ToDictionary(pair => pair.Value, pair => pair.Key);
            foreach (var added in json["added_tokens"] as JsonArray ?? [])
            {
                string content = added!["content"]!.GetValue<string>();
                int id = added["id"]!.GetValue<int>();
                if (vocabulary.TryGetValue(content, out int existing) && existing != id)
                    throw new InvalidDataException($"{path} adds token '{content}' as id {id}, but the vocabulary has it as {existing}.");
                if (tokenOfId.TryGetValue(id, out var holder) && holder != content)
                    throw new InvalidDataException($"{path} adds token '{content}' as id {id}, which the vocabulary gives to '{holder}'.");
                vocabulary[content] = id;
                tokenOfId[id] = content;
                if (added["special"]?.GetValue<bool>() != false) specials.Add(content);
            }

            var config = HuggingFaceTokenizerConfig.Read(folder);
            var options = new BpeTokenizerOptions
            {
                PreTokenizerPattern = PreTokenizerPattern(path, json["pre_tokenizer"]),
                SpecialTokens = specials,
                EndOfTextToken = config.EndToken,
                PaddingToken = config.PaddingToken,
            };
            return new BpeLlmTokenizer(vocabulary, merges, options);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or NullReferenceException)
        {
            throw new InvalidDataException($"{path} is not a tokenizer.json of the expected layout: {e.Message}", e);
        }
    }

    private static Dictionary<string, int> ReadVocabulary(string path, JsonObject? vocab)
    {
        if (vocab is null || vocab.Count == 0)
            throw new InvalidDataException($"{path} has no model vocabulary.");
        var vocabulary = new Dictionary<string, int>(vocab.Count);
        var seen = new Dictionary<int, string>(vocab.Count);
        foreach (var (token, node) in vocab)
        {
            int id = node!.GetValue<int>();
            if (id < 0) throw new InvalidDataException($"{path} gives token '{token}' the negative id {id}.");
            if (!seen.TryAdd(id, token)) throw new InvalidDataException($"{path} gives id {id} to both '{seen[id]}' and '{token}'.");
            vocabulary[token] = id;
        }
        return vocabulary;
    }

    // Merges are "left right" strings (older files) or [left, right] pairs (newer ones).
    private static List<(string Left, string Right)> ReadMerges(string path, JsonArray? array, Dictionary<string, int> vocabulary)
    {
        var merges = new List<(string, string)>(array?.Count ?? 0);
        foreach (var node in array ?? [])
        {
            (string Left, string Right) merge = node switch
            {
                JsonArray pair when pair.Count == 2 => (pair[0]!.GetValue<string>(), pair[1]!.GetValue<string>()),
                JsonValue value when value.GetValue<string>().Split(' ') is [var left, var right] => (left, right),
                _ => throw new InvalidDataException($"{path} has merge {merges.Count + 1} that is not two tokens: {node?.ToJsonString()}."),
            };
            foreach (var token in (ReadOnlySpan<string>)[merge.Left, merge.Right, merge.Left + merge.Right])
                if (!vocabulary.ContainsKey(token))
                    throw new InvalidDataException($"{path} has merge {merges.Count + 1} ({merge.Left} {merge.Right}) using '{token}', which is not in the vocabulary.");
            merges.Add(merge);
        }
        return merges;
    }

    private static string PreTokenizerPattern(string path, JsonNode? preTokenizer)
    {
        var steps = preTokenizer?["type"]?.GetValue<string>() == "Sequence"
            ? (preTokenizer["pretokenizers"] as JsonArray ?? []).Select(step => step!).ToList()
            : preTokenizer is null ? [] : [preTokenizer];
        string Describe() => string.Join(" + ", steps.Select(s => s["type"]?.GetValue<string>() ?? "?"));
        var byteLevel = steps.LastOrDefault();
        if (byteLevel?["type"]?.GetValue<string>() != "ByteLevel")
            throw new InvalidDataException($"{path} has the pre-tokenizer {(steps.Count == 0 ? "none" : Describe())}; only byte-level ones (ending in ByteLevel) load here.");
        bool ownPattern = byteLevel["use_regex"]?.GetValue<bool>() ?? true;
        if (byteLevel["add_prefix_space"]?.GetValue<bool>() == true)
            throw new InvalidDataException($"{path} asks the ByteLevel pre-tokenizer to add a prefix space, which is not implemented.");

        return steps.Count switch
        {
            1 when ownPattern => BpeTokenizerOptions.Gpt2PreTokenizerPattern,
            2 when !ownPattern && steps[0]["type"]?.GetValue<string>() == "Split" && steps[0]["pattern"]?["Regex"] is { } regex
                                && steps[0]["behavior"]?.GetValue<string>() is null or "Isolated" && steps[0]["invert"]?.GetValue<bool>() != true
                => regex.GetValue<string>(),
            2 when ownPattern && steps[0]["type"]?.GetValue<string>() == "Digits" && steps[0]["individual_digits"]?.GetValue<bool>() == true
                => SingleDigitsPattern,
            _ => throw new InvalidDataException($"{path} has the pre-tokenizer {Describe()}, which is not implemented (ByteLevel; Split + ByteLevel; Digits + ByteLevel are)."),
        };
    }
}
