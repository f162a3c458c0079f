using System.Text;
using System.Text.Json;

namespace MLNetLlm.Cli.Input;

/// <summary>
/// A user's table as strings: CSV (RFC 4180: quoted fields may hold separators, quotes and line breaks), TSV, or JSON
/// lines (one object a line; strings, numbers and Booleans read as text). The format comes from the extension.
/// </summary>
internal sealed class TableFile
{
    /// <summary>The longest field accepted: a larger one is a wrong file (a binary, an unclosed quote), not a text.</summary>
    public const int MaxFieldLength = 16 << 20;

    private TableFile(string path, IReadOnlyList<string> columns, IReadOnlyList<string[]> rows)
    {
        Path = path;
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The file read.</summary>
    public string Path { get; }

    /// <summary>The header's column names.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows, each with one value per column (a JSON line's missing key reads as empty).</summary>
    public IReadOnlyList<string[]> Rows { get; }

    /// <summary>The extensions read, for messages.</summary>
    public const string Formats = ".csv, .tsv (or .tab) and .jsonl (or .ndjson)";

    /// <summary>Whether <paramref name="path"/> has an extension this reader knows.</summary>
    public static bool IsTable(string path) => SeparatorOf(path) is not null || IsJsonLines(path);

    /// <summary>Reads the whole table.</summary>
    /// <exception cref="Commands.UsageException">The format is unknown, the file is empty, a row is ragged or a line is not JSON (the message says where).</exception>
    public static TableFile Read(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new Commands.UsageException($"The input file {full} does not exist.");
        try
        {
            if (IsJsonLines(full))
                return ReadJsonLines(full);
            if (SeparatorOf(full) is char separator)
                return ReadDelimited(full, separator);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new Commands.UsageException($"The input file {full} cannot be read: {e.Message}");
        }
        throw new Commands.UsageException($"The input file {full} is not a table this tool reads: use {Formats}.");
    }

    /// <summary>The index of column <paramref name="name"/>; the error lists the columns there are.</summary>
    public int IndexOf(string name, string option)
    {
        for (int i = 0; i < Columns.Count; i++)
            if (Columns[i] == name)
                return i;
        throw new Commands.UsageException($"The column '{name}' ({option}) is not in {Path}; its columns are: {string.Join(", ", Columns.Select(c => $"'{c}'"))}.");
    }

    private static char? SeparatorOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => ',',
        ".tsv" or ".tab" => '\t',
        _ => null,
    };

    private static bool IsJsonLines(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() is ".jsonl" or ".ndjson";

    private static TableFile ReadDelimited(string path, char separator)
    {
        using var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        var header = ReadRecord(reader, separator, path, 1)
            ?? throw new Commands.UsageException($"The input file {path} is empty: a header line is needed.");
        if (header.Length == 1 && header[0].Length == 0)
            throw new Commands.UsageException($"The input file {path} has an empty header line.");
        var duplicate = header.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new Commands.UsageException($"The input file {path} names the column '{duplicate.Key}' twice.");
        var rows = new List<string[]>();
        while (ReadRecord(reader, separator, path, rows.Count + 2) is { } record)
        {
            if (record.Length == 1 && record[0].Length == 0)
                continue; // a blank line
            if (record.Length != header.Length)
                throw new Commands.UsageException($"Row {rows.Count + 1} of {path} has {record.Length} fields; the header has {header.Length}.");
            rows.Add(record);
        }
        return new TableFile(path, header, rows);
    }

    /// <summary>One record, or null at the end of the file; quoted fields may span lines.</summary>
    private static string[]? ReadRecord(TextReader reader, char separator, string path, int recordNumber)
    {
        int next = reader.Peek();
        if (next < 0)
            return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false, wasQuoted = false;
        while (true)
        {
            int c = reader.Read();
            if (field.Length > MaxFieldLength)
                throw new Commands.UsageException($"Record {recordNumber} of {path} has a field longer than {MaxFieldLength:N0} characters (an unclosed quote?).");
            if (quoted)
            {
                if (c < 0)
                    throw new Commands.UsageException($"Record {recordNumber} of {path} opens a quote that is never closed.");
                if (c == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else field.Append((char)c);
                continue;
            }
            if (c == '"' && field.Length == 0 && !wasQuoted) { quoted = wasQuoted = true; continue; }
            if (c == separator) { fields.Add(field.ToString()); field.Clear(); wasQuoted = false; continue; }
            if (c is '\r' or '\n' or -1)
            {
                if (c == '\r' && reader.Peek() == '\n') reader.Read();
                fields.Add(field.ToString());
                return [.. fields];
            }
            field.Append((char)c);
        }
    }

    private static TableFile ReadJsonLines(string path)
    {
        var columns = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var objects = new List<Dictionary<int, string>>();
        int lineNumber = 0;
        foreach (var line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            if (line.Length > MaxFieldLength)
                throw new Commands.UsageException($"Line {lineNumber} of {path} is longer than {MaxFieldLength:N0} characters.");
            JsonDocument document;
            try { document = JsonDocument.Parse(line); }
            catch (JsonException e) { throw new Commands.UsageException($"Line {lineNumber} of {path} is not JSON: {e.Message}"); }
            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                    throw new Commands.UsageException($"Line {lineNumber} of {path} is not a JSON object.");
                var row = new Dictionary<int, string>();
                foreach (var property in document.RootElement.EnumerateObject())
                {
                    if (!index.TryGetValue(property.Name, out int column))
                    {
                        column = index[property.Name] = columns.Count;
                        columns.Add(property.Name);
                    }
                    row[column] = property.Value.ValueKind switch
                    {
                        JsonValueKind.String => property.Value.GetString()!,
                        JsonValueKind.Null => "",
                        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                        _ => throw new Commands.UsageException($"Line {lineNumber} of {path}: the value of '{property.Name}' is a JSON {property.Value.ValueKind}; only strings, numbers and Booleans are read."),
                    };
                }
                objects.Add(row);
            }
        }
        if (objects.Count == 0)
            throw new Commands.UsageException($"The input file {path} has no JSON lines.");
        var rows = objects.Select(o => Enumerable.Range(0, columns.Count).Select(c => o.GetValueOrDefault(c, "")).ToArray()).ToList();
        return new TableFile(path, columns, rows);
    }
}
