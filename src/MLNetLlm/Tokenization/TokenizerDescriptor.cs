using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetLlm.Tokenization;

/// <summary>The <c>tokenizer.json</c> of a saved tokenizer: its kind and the options needed to rebuild it.</summary>
internal sealed record TokenizerDescriptor
{
    public const string FileName = "tokenizer.json";
    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The tokenizer's kind, as in <see cref="LlmTokenizer.Name"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Kind-specific options (lower-casing, patterns, special tokens, ...), a JSON object.</summary>
    public JsonElement? Options { get; init; }

    /// <summary>The folder the descriptor was read from, to resolve the vocabulary files beside it.</summary>
    [JsonIgnore]
    public string Directory { get; init; } = "";

    public static TokenizerDescriptor Create<TOptions>(string kind, TOptions options) =>
        new() { Kind = kind, Options = JsonSerializer.SerializeToElement(options, Json) };

    /// <summary>Reads the options as <typeparamref name="TOptions"/>.</summary>
    /// <exception cref="InvalidDataException">The options are missing or do not fit the kind.</exception>
    public TOptions ReadOptions<TOptions>()
    {
        var path = Path.Combine(Directory, FileName);
        if (Options is not JsonElement element || element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{path} has no options for a '{Kind}' tokenizer.");
        try
        {
            return element.Deserialize<TOptions>(Json) ?? throw new InvalidDataException($"{path} has no options for a '{Kind}' tokenizer.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} has invalid options for a '{Kind}' tokenizer: {e.Message}", e);
        }
    }

    public static void Write(string directory, TokenizerDescriptor descriptor)
    {
        System.IO.Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(descriptor, Json));
    }

    public static TokenizerDescriptor Read(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new InvalidDataException($"No saved tokenizer in {directory}: {FileName} is missing.");
        try
        {
            var descriptor = JsonSerializer.Deserialize<TokenizerDescriptor>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} is empty.");
            return descriptor with { Directory = directory };
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid tokenizer description: {e.Message}", e);
        }
    }
}
