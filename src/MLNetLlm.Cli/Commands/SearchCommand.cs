using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetLlm.Cli.Search;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm search</c>: queries an index folder (dense, BM25 keyword, or both fused by reciprocal rank), for
/// <c>--query</c> or for each line of standard input, and prints the top passages with their source and span.
/// </summary>
internal static class SearchCommand
{
    public static Command Create(CliConsole console)
    {
        var index = IndexOption();
        var query = new Option<string?>("--query", "-q") { Description = "The query; without it, queries are read from standard input, one a line, until end of input or /exit." };
        var mode = ModeOption();
        var topK = Options.Positive(new Option<int>("--top-k", "-k") { Description = "How many passages to show a query.", DefaultValueFactory = _ => 5 });

        var command = new Command("search", "Query an index folder (dense, keyword or hybrid) from --query or interactively, one query a line.") { index, query, mode, topK };
        CommandRunner.SetBody(command, console, async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(query) is string q && string.IsNullOrWhiteSpace(q))
                throw new UsageException("--query is empty.");
            using var folder = IndexFolder.Load(new MLContext(seed: 1), parsed.GetValue(index)!.FullName);
            var retriever = folder.Retriever(parsed.GetValue(mode)!);
            int k = parsed.GetValue(topK);
            if (parsed.GetValue(query) is string single)
                await Print(console, single, await retriever.RetrieveAsync(single, k, cancellationToken));
            else
                await foreach (var line in QueryLines.ReadAsync(console, "search> ", cancellationToken))
                    await Print(console, line, await retriever.RetrieveAsync(line, k, cancellationToken));
            return 0;
        });
        return command;
    }

    /// <summary>The <c>--index</c> option of search and ask: a folder mlnetllm index wrote.</summary>
    public static Option<DirectoryInfo> IndexOption()
    {
        var option = new Option<DirectoryInfo>("--index") { Description = "An index folder written by mlnetllm index.", Required = true };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo>() is { Exists: false } folder)
                r.AddError($"The index folder {folder.FullName} does not exist.");
        });
        return option;
    }

    /// <summary>The <c>--mode</c> option of search and ask.</summary>
    public static Option<string> ModeOption() => new Option<string>("--mode") { Description = "dense (vectors), keyword (BM25) or hybrid (both, fused by reciprocal rank).", DefaultValueFactory = _ => "hybrid" }
        .AcceptOnlyFromAmong("dense", "keyword", "hybrid");

    private static async Task Print(CliConsole console, string query, IReadOnlyList<RetrievedPassage> passages)
    {
        await console.Out.WriteLineAsync($"# {query}");
        if (passages.Count == 0)
            await console.Out.WriteLineAsync("  (no passage found)");
        for (int i = 0; i < passages.Count; i++)
        {
            var p = passages[i];
            var text = p.Text.ReplaceLineEndings(" ");
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{i + 1,3}. {p.Score,8:F4}  {p.SourceId} [{p.Start}..{p.Start + p.Length})  {(text.Length > 160 ? text[..157] + "..." : text)}"));
        }
    }
}
