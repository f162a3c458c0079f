using MLNetLlm.Retrieval;
using Spectre.Console;

/// <summary>Rankings of one query side by side: each cell cites the source, its character span and the score.</summary>
internal static class ResultTable
{
    public static void Write(string query, IReadOnlyList<string> names, IReadOnlyList<IReadOnlyList<RetrievedPassage>> rankings)
    {
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180); // a log file is not 80 columns wide
        var table = new Table().Title(Markup.Escape($"\"{query}\"")).AddColumn("#");
        foreach (var name in names)
            table.AddColumn(Markup.Escape(name));
        var depth = rankings.Max(r => r.Count);
        for (var rank = 0; rank < depth; rank++)
            table.AddRow([new Markup($"{rank + 1}"), .. rankings.Select(r => rank < r.Count ? Cell(r[rank]) : new Markup(""))]);
        AnsiConsole.Write(table);
    }

    private static Markup Cell(RetrievedPassage p) =>
        new($"[bold]{Markup.Escape(p.SourceId)}[/] [[{p.Start}..{p.Start + p.Length}) {p.Score:G3}\n{Markup.Escape(Shorten(p.Text, 110))}");

    public static string Shorten(string text, int max)
    {
        var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= max ? line : line[..max] + "…";
    }
}
