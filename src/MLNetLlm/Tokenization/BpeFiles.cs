using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MLNetLlm.Tokenization;

/// <summary>Reads and writes BPE vocabularies in the Hugging Face format: <c>vocab.json</c> (token → id) and <c>merges.txt</c>.</summary>
internal static class BpeFiles
{
    public const string VocabularyFileName = "vocab.json";
    public const string MergesFileName = "merges.txt";
    private const string MergesHeader = "#version: 0.2";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Reads <c>vocab.json</c>: a JSON object of distinct non-negative ids.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not such an object.</exception>
    public static Dictionary<string, int> ReadVocabulary(string path)
    {
        RequireFile(path, "vocabulary");
        Dictionary<string, int>? vocabulary;
        try
        {
            using var stream = File.OpenRead(path);
            vocabulary = JsonSerializer.Deserialize<Dictionary<string, int>>(stream);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The vocabulary file '{path}' is not a JSON object of token ids: {e.Message}", e);
        }
        if (vocabulary is null || vocabulary.Count == 0)
            throw new InvalidDataException($"The vocabulary file '{path}' is empty.");

        var seen = new Dictionary<int, string>(vocabulary.Count);
        foreach (var (token, id) in vocabulary)
        {
            if (token.Length == 0)
                throw new InvalidDataException($"The vocabulary file '{path}' has an empty token.");
            if (id < 0)
                throw new InvalidDataException($"The vocabulary file '{path}' gives token '{token}' the negative id {id}.");
            if (!seen.TryAdd(id, token))
                throw new InvalidDataException($"The vocabulary file '{path}' gives id {id} to both '{seen[id]}' and '{token}'.");
        }
        return vocabulary;
    }

    /// <summary>Reads <c>merges.txt</c>: an optional <c>#version</c> line, then one <c>left right</c> pair a line, each part and their concatenation in <paramref name="vocabulary"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A line is not a pair of vocabulary tokens whose concatenation is a token.</exception>
    public static List<(string Left, string Right)> ReadMerges(string path, IReadOnlyDictionary<string, int> vocabulary)
    {
        RequireFile(path, "merges");
        var merges = new List<(string, string)>();
        var firstLine = new Dictionary<(string, string), int>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (line.Length == 0 || (lineNumber == 1 && line.StartsWith("#version", StringComparison.Ordinal)))
                continue;
            var parts = line.Split(' ');
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                throw new InvalidDataException($"Line {lineNumber} of the merges file '{path}' is not two tokens separated by one space: '{line}'.");
            foreach (var token in (ReadOnlySpan<string>)[parts[0], parts[1], parts[0] + parts[1]])
                if (!vocabulary.ContainsKey(token))
                    throw new InvalidDataException($"Line {lineNumber} of the merges file '{path}' uses '{token}', which is not in the vocabulary.");
            if (!firstLine.TryAdd((parts[0], parts[1]), lineNumber))
                throw new InvalidDataException($"Line {lineNumber} of the merges file '{path}' repeats the merge of line {firstLine[(parts[0], parts[1])]}.");
            merges.Add((parts[0], parts[1]));
        }
        return merges;
    }

    /// <summary>Writes <c>vocab.json</c> (ordered by id) and <c>merges.txt</c> into <paramref name="directory"/>.</summary>
    public static void Write(string directory, IReadOnlyDictionary<string, int> vocabulary, IReadOnlyList<(string Left, string Right)> merges)
    {
        Directory.CreateDirectory(directory);
        var ordered = new Dictionary<string, int>(vocabulary.OrderBy(kv => kv.Value));
        File.WriteAllText(Path.Combine(directory, VocabularyFileName), JsonSerializer.Serialize(ordered, Json), new UTF8Encoding(false));

        var text = new StringBuilder(MergesHeader).Append('\n');
        foreach (var (left, right) in merges)
            text.Append(left).Append(' ').Append(right).Append('\n');
        File.WriteAllText(Path.Combine(directory, MergesFileName), text.ToString(), new UTF8Encoding(false));
    }

    private static void RequireFile(string path, string what)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
            throw new FileNotFoundException($"The {what} file '{path}' does not exist.", path);
    }
}
