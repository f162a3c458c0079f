using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetLlm.Tokenization;

/// <summary>The <c>tokenizer.json</c> of a saved tokenizer: its kind and the options needed to rebuild it.</summary>
internal sealed record TokenizerDescriptor
{
    public const string FileName = "tokenizer.json";
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    /// <summary>The tokenizer's kind, as in <see cref="LlmTokenizer.Name"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>Kind-specific options (lower-casing, patterns, special tokens, ...).</summary>
    public Dictionary<string, JsonElement>? Options { get; init; }

    public static void Write(string directory, TokenizerDescriptor descriptor)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, FileName), JsonSerializer.Serialize(descriptor, Json));
    }

    public static TokenizerDescriptor Read(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
            throw new InvalidDataException($"No saved tokenizer in {directory}: {FileName} is missing.");
        try
        {
            return JsonSerializer.Deserialize<TokenizerDescriptor>(File.ReadAllText(path), Json)
                ?? throw new InvalidDataException($"{path} is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path} is not a valid tokenizer description: {e.Message}", e);
        }
    }
}
