using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Cli.Input;

/// <summary>
/// The input options of the commands over a user's texts: <c>--input</c> (a table file, or a folder of text files),
/// <c>--text-col</c>, and for labelled commands <c>--label-col</c>, named as ML.NET's <c>mlnet</c> names them.
/// </summary>
internal sealed class TextInput
{
    private readonly bool _folders;

    public TextInput(bool allowFolders, bool withLabel, bool labelRequired = true)
    {
        _folders = allowFolders;
        Input = new Option<string>("--input", "--dataset", "-i")
        {
            Description = allowFolders
                ? $"A table ({TableFile.Formats}, with a header) or a folder of text files (one document a file)."
                : $"A table with a header: {TableFile.Formats}.",
            Required = true,
        };
        TextColumn = new Option<string>("--text-col") { Description = "The column holding the text.", DefaultValueFactory = _ => "Text" };
        if (withLabel)
            LabelColumn = new Option<string?>("--label-col")
            {
                Description = labelRequired ? "The column holding the label (any text: each distinct value is a class)." : "A label column, if the table has one (used for evaluation only).",
                Required = labelRequired,
                DefaultValueFactory = labelRequired ? null : _ => null,
            };
        Pattern = new Option<string>("--pattern") { Description = "Folder input: which files are documents (searched in sub-folders too).", DefaultValueFactory = _ => "*.txt" };
    }

    public Option<string> Input { get; }

    public Option<string> TextColumn { get; }

    public Option<string?>? LabelColumn { get; }

    public Option<string> Pattern { get; }

    public void AddTo(Command command)
    {
        command.Add(Input);
        command.Add(TextColumn);
        if (LabelColumn is not null)
            command.Add(LabelColumn);
        if (_folders)
            command.Add(Pattern);
        command.Validators.Add(result =>
        {
            if (result.GetValue(Input) is not string path)
                return;
            if (Directory.Exists(path))
            {
                if (!_folders)
                    result.AddError($"--input {Path.GetFullPath(path)} is a folder; this command reads a table ({TableFile.Formats}).");
            }
            else if (!File.Exists(path))
                result.AddError($"The input {Path.GetFullPath(path)} does not exist.");
        });
    }

    /// <summary>Reads the rows: ids (a row number, or a file's path in the folder), texts and, when asked, labels.</summary>
    /// <param name="parsed">The command line.</param>
    /// <param name="textColumn">The text column to read instead of <c>--text-col</c>'s value (a saved model's own column).</param>
    public TextRows Read(ParseResult parsed, string? textColumn = null)
    {
        var path = Path.GetFullPath(parsed.GetValue(Input)!);
        textColumn ??= parsed.GetValue(TextColumn)!;
        string? labelColumn = LabelColumn is null ? null : parsed.GetValue(LabelColumn);
        if (Directory.Exists(path))
            return ReadFolder(path, parsed.GetValue(Pattern)!, textColumn, labelColumn);
        var table = TableFile.Read(path);
        int text = table.IndexOf(textColumn, "--text-col");
        int? label = labelColumn is null ? null : table.IndexOf(labelColumn, "--label-col");
        if (label == text)
            throw new Commands.UsageException($"--text-col and --label-col both name '{textColumn}'.");
        if (table.Rows.Count == 0)
            throw new Commands.UsageException($"The input file {path} has a header but no rows.");
        return new TextRows(path, textColumn, labelColumn,
            [.. Enumerable.Range(1, table.Rows.Count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            [.. table.Rows.Select(r => r[text])],
            label is int l ? [.. table.Rows.Select(r => r[l])] : null,
            table);
    }

    private static TextRows ReadFolder(string folder, string pattern, string textColumn, string? labelColumn)
    {
        if (labelColumn is not null)
            throw new Commands.UsageException($"--label-col names a column of a table; {folder} is a folder.");
        var files = Directory.EnumerateFiles(folder, pattern, SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
            throw new Commands.UsageException($"The folder {folder} has no file matching {pattern}.");
        var texts = new List<string>(files.Count);
        foreach (var file in files)
        {
            if (new FileInfo(file).Length > TableFile.MaxFieldLength * 4L)
                throw new Commands.UsageException($"The file {file} is larger than {TableFile.MaxFieldLength * 4L:N0} bytes: not a document this tool reads.");
            try { texts.Add(File.ReadAllText(file)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new Commands.UsageException($"The file {file} cannot be read: {e.Message}");
            }
        }
        return new TextRows(folder, textColumn, null, [.. files.Select(f => Path.GetRelativePath(folder, f))], texts, null, null);
    }
}

/// <summary>A user's texts as read: one id, text and (optional) label a row, and the table they came from.</summary>
/// <param name="Source">The file or folder read.</param>
/// <param name="TextColumn">The text column's name, kept in the data views made from these rows.</param>
/// <param name="LabelColumn">The label column's name; null without labels.</param>
/// <param name="Ids">Each row's id: its number in a table (from 1), or its file's path within the folder.</param>
/// <param name="Texts">Each row's text.</param>
/// <param name="Labels">Each row's label; null without labels.</param>
/// <param name="Table">The table read; null for a folder.</param>
internal sealed record TextRows(string Source, string TextColumn, string? LabelColumn, IReadOnlyList<string> Ids,
    IReadOnlyList<string> Texts, IReadOnlyList<string>? Labels, TableFile? Table)
{
    public int Count => Texts.Count;

    /// <summary>The rows at <paramref name="indices"/>, as a view with the text column (and the label column) under their names.</summary>
    public IDataView ToDataView(MLContext ml, IEnumerable<int>? indices = null)
    {
        var rows = (indices ?? Enumerable.Range(0, Count)).Select(i => new Row { Text = Texts[i], Label = Labels?[i] ?? "" }).ToList();
        var definition = SchemaDefinition.Create(typeof(Row));
        var (text, label) = (definition[nameof(Row.Text)], definition[nameof(Row.Label)]);
        text.ColumnName = TextColumn;
        if (LabelColumn is null)
            definition.Remove(label);
        else
            label.ColumnName = LabelColumn;
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    private sealed class Row
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
    }
}
