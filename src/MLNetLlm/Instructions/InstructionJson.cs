using System.Text;
using System.Text.Json;

namespace MLNetLlm.Instructions;

/// <summary>
/// Reads instruction data in the book's JSON format: a JSON array of objects, or JSON lines (one object a line), each
/// with the string fields <c>instruction</c> and <c>output</c> and an optional string <c>input</c> (absent means empty).
/// Other fields are ignored.
/// </summary>
public static class InstructionJson
{
    /// <summary>Reads every record of <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not JSON, or a record is not an object, misses
    /// <c>instruction</c> or <c>output</c>, or holds a field that is not a string: the message names the record (its
    /// 1-based number, and its line for JSON lines).</exception>
    public static IReadOnlyList<InstructionRecord> Read(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"There is no instruction file at {path}.", path);
        var bytes = File.ReadAllBytes(path);
        int first = FirstNonWhitespace(bytes);
        if (first < 0) return [];
        return bytes[first] == (byte)'[' ? ReadArray(bytes[first..], path) : ReadLines(bytes[first..], path);
    }

    /// <summary>Writes <paramref name="records"/> to <paramref name="path"/> as an indented JSON array.</summary>
    public static void Write(string path, IEnumerable<InstructionRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var items = records.Select(r => new Dictionary<string, string> { ["instruction"] = r.Instruction, ["input"] = r.Input, ["output"] = r.Output });
        File.WriteAllText(path, JsonSerializer.Serialize(items, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static List<InstructionRecord> ReadArray(byte[] bytes, string path)
    {
        var records = new List<InstructionRecord>();
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            reader.Read(); // '['
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                int number = records.Count + 1;
                JsonElement element;
                try
                {
                    using var document = JsonDocument.ParseValue(ref reader);
                    element = document.RootElement.Clone();
                }
                catch (JsonException e)
                {
                    throw new InvalidDataException($"{path}: record {number} is not valid JSON ({e.Message}).", e);
                }
                records.Add(Record(element, $"{path}: record {number}"));
            }
            if (reader.TokenType != JsonTokenType.EndArray)
                throw new InvalidDataException($"{path}: the JSON array is not closed after record {records.Count}.");
            if (reader.Read())
                throw new InvalidDataException($"{path}: there is more after the JSON array's closing ']' (after record {records.Count}).");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: record {records.Count + 1} is not valid JSON ({e.Message}).", e);
        }
        return records;
    }

    private static List<InstructionRecord> ReadLines(byte[] bytes, string path)
    {
        var records = new List<InstructionRecord>();
        var lines = Encoding.UTF8.GetString(bytes).Split('\n');
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            string where = $"{path}: record {records.Count + 1} (line {i + 1})";
            JsonElement element;
            try
            {
                using var document = JsonDocument.Parse(line);
                element = document.RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{where} is not valid JSON ({e.Message}).", e);
            }
            records.Add(Record(element, where));
        }
        return records;
    }

    private static InstructionRecord Record(JsonElement element, string where)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new InvalidDataException($"{where} is a JSON {element.ValueKind}, not an object with instruction, input and output.");
        string instruction = Field(element, "instruction", where, required: true);
        if (instruction.Trim().Length == 0) throw new InvalidDataException($"{where} has an empty instruction.");
        return new InstructionRecord
        {
            Instruction = instruction,
            Input = Field(element, "input", where, required: false),
            Output = Field(element, "output", where, required: true),
        };
    }

    private static string Field(JsonElement element, string name, string where, bool required)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            return required ? throw new InvalidDataException($"{where} has no \"{name}\" field.") : "";
        return value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new InvalidDataException($"{where} has a \"{name}\" that is a JSON {value.ValueKind}, not a string.");
    }

    private static int FirstNonWhitespace(byte[] bytes)
    {
        int start = bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0; // UTF-8 byte order mark
        for (int i = start; i < bytes.Length; i++)
            if (!char.IsWhiteSpace((char)bytes[i])) return i;
        return -1;
    }
}
