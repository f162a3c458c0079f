using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetLlm.Tokenization;

/// <summary>
/// What a Hugging Face folder's <c>tokenizer_config.json</c> says beyond the vocabulary: the beginning, end and
/// padding tokens, tokens added by id (<c>added_tokens_decoder</c>) and the chat template (its <c>chat_template</c>,
/// or the <c>chat_template.jinja</c> file newer folders keep beside it).
/// </summary>
internal sealed record HuggingFaceTokenizerConfig(
    string? BeginningToken,
    string? EndToken,
    string? PaddingToken,
    IReadOnlyDictionary<string, int> AddedTokens,
    string? ChatTemplate)
{
    public const string FileName = "tokenizer_config.json";
    public const string ChatTemplateFileName = "chat_template.jinja";

    // A chat template is a page of Jinja; a megabyte is not one, and is refused before it is read.
    private const long MaxChatTemplateBytes = 1L << 20;

    public static HuggingFaceTokenizerConfig Empty { get; } = new(null, null, null, new Dictionary<string, int>(), null);

    /// <summary>The folder's config, <see cref="Empty"/> when it has none.</summary>
    /// <exception cref="InvalidDataException">The file is not a readable config (the message names the file).</exception>
    public static HuggingFaceTokenizerConfig Read(string folder)
    {
        var path = Path.Combine(folder, FileName);
        var config = File.Exists(path) ? Parse(path) : Empty;
        var jinja = Path.Combine(folder, ChatTemplateFileName);
        if (config.ChatTemplate is null && File.Exists(jinja))
        {
            if (new FileInfo(jinja).Length > MaxChatTemplateBytes)
                throw new InvalidDataException($"{jinja} is larger than {MaxChatTemplateBytes:N0} bytes; it is not a chat template.");
            config = config with { ChatTemplate = File.ReadAllText(jinja) };
        }
        return config;
    }

    private static HuggingFaceTokenizerConfig Parse(string path)
    {
        try
        {
            var json = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path} is not a JSON object.");
            var added = new Dictionary<string, int>();
            foreach (var (key, node) in json["added_tokens_decoder"] as JsonObject ?? [])
            {
                if (!int.TryParse(key, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id))
                    throw new InvalidDataException($"{path} has the added token id '{key}', which is not a number.");
                if (Token(node) is string content)
                    added[content] = id;
            }
            return new HuggingFaceTokenizerConfig(Token(json["bos_token"]), Token(json["eos_token"]), Token(json["pad_token"]), added, Template(path, json["chat_template"]));
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{path} is not a readable tokenizer config: {e.Message}", e);
        }
    }

    // Tokens are written as a string or as {"content": ...}.
    private static string? Token(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o["content"]?.GetValue<string>(),
        _ => node.GetValue<string>(),
    };

    // The template is a string, or a list of named templates of which "default" is the chat one.
    private static string? Template(string path, JsonNode? node) => node switch
    {
        null => null,
        JsonArray named => named.FirstOrDefault(t => t?["name"]?.GetValue<string>() == "default")?["template"]?.GetValue<string>()
            ?? throw new InvalidDataException($"{path} lists chat templates ({string.Join(", ", named.Select(t => t?["name"]?.GetValue<string>()))}) but none named 'default'."),
        _ => node.GetValue<string>(),
    };
}
