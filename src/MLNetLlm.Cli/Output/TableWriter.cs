using System.Text;
using System.Text.Json;

namespace MLNetLlm.Cli.Output;

/// <summary>Writes a table as CSV (RFC 4180 quoting), TSV or JSON lines, chosen by the file's extension.</summary>
internal static class TableWriter
{
    /// <summary>Whether <paramref name="path"/> names a format this writer knows.</summary>
    public static bool Knows(string path) => Path.GetExtension(path).ToLowerInvariant() is ".csv" or ".tsv" or ".tab" or ".jsonl" or ".ndjson";

    public static void Write(string path, string formatOf, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<string>> rows)
    {
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        switch (Path.GetExtension(formatOf).ToLowerInvariant())
        {
            case ".jsonl" or ".ndjson":
                foreach (var row in rows)
                    writer.WriteLine(JsonSerializer.Serialize(columns.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => row[p.i])));
                break;
            case ".tsv" or ".tab":
                writer.WriteLine(string.Join('\t', columns.Select(Tsv)));
                foreach (var row in rows)
                    writer.WriteLine(string.Join('\t', row.Select(Tsv)));
                break;
            default:
                writer.WriteLine(string.Join(',', columns.Select(Csv)));
                foreach (var row in rows)
                    writer.WriteLine(string.Join(',', row.Select(Csv)));
                break;
        }
    }

    private static string Csv(string value) =>
        value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";

    private static string Tsv(string value) =>
        value.AsSpan().IndexOfAny("\t\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"") + "\"";
}
