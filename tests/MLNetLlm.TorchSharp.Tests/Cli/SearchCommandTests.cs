using System.Text.Json;
using MLNetLlm.Cli;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

/// <summary>index, search and ask over 16 Brown passages (four genres), the bundled MiniLM and the shipped brown-gpt.</summary>
[Collection(BrownPassageCollection.Name)]
public class SearchCommandTests(BrownPassageTable brown)
{
    private const int PerGenre = 4;

    /// <summary>Builds the index of the first four passages of each genre; returns its folder.</summary>
    private async Task<string> Index(TemporaryDirectory folder, params string[] extra)
    {
        var (code, output, error) = await Run(["index", "-i", brown.WriteFirst(PerGenre), "--text-col", "Passage", "-o", folder.Sub("index"), .. extra]);
        Assert.True(code == 0, error);
        Assert.Contains("Indexed 16 documents", output);
        return folder.Sub("index");
    }

    /// <summary>Row <paramref name="row"/> (from 1) of the indexed table, and a query of 15 of its words.</summary>
    private (string Id, string Query) Known(int row)
    {
        var rows = BrownPassageTable.Genres.SelectMany(g => brown.Rows.Where(r => r.Genre == g).Take(PerGenre)).ToList();
        var words = rows[row - 1].Passage.Split(' ');
        return (row.ToString(System.Globalization.CultureInfo.InvariantCulture), string.Join(' ', words[10..25]));
    }

    private static string FirstHit(string output) => output.Split('\n').First(l => l.StartsWith("  1.", StringComparison.Ordinal));

    [Theory]
    [InlineData("dense")]
    [InlineData("keyword")]
    [InlineData("hybrid")]
    public async Task Index_ThenSearch_FindsThePassageAQueryIsCutFrom(string mode)
    {
        using var folder = new TemporaryDirectory();
        var index = await Index(folder);
        Assert.True(File.Exists(Path.Combine(index, "vector-index.json")));
        Assert.Equal(16, File.ReadAllLines(Path.Combine(index, "passages.jsonl")).Length);
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(index, "report.json"))))
            Assert.Equal(384, report.RootElement.GetProperty("dimension").GetInt32());

        var (id, query) = Known(10);
        var (code, output, error) = await Run("search", "--index", index, "--mode", mode, "-q", query, "-k", "3");
        Assert.True(code == 0, error);
        Assert.Contains($" {id} [0..", FirstHit(output));
        Assert.Equal(3, output.Split('\n').Count(l => l.Length > 4 && char.IsDigit(l[2]) && l[3] == '.'));
    }

    [Fact]
    public async Task Search_ReadsQueriesFromStandardInput_UntilExit()
    {
        using var folder = new TemporaryDirectory();
        var index = await Index(folder, "--no-keyword");
        var (first, second) = (Known(3), Known(14));
        var (code, output, error) = await RunWithInput($"{first.Query}\n\n{second.Query}\n/exit\nnever read\n", "search", "--index", index, "--mode", "dense", "-k", "1");
        Assert.True(code == 0, error);
        var answers = output.Split('\n').Where(l => l.StartsWith("  1.", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, answers.Count);
        Assert.Contains($" {first.Id} [0..", answers[0]);
        Assert.Contains($" {second.Id} [0..", answers[1]);
        Assert.DoesNotContain("never read", output);

        var (keywordCode, _, keywordError) = await Run("search", "--index", index, "--mode", "keyword", "-q", "jury");
        Assert.Equal(CliApp.BadArguments, keywordCode);
        Assert.Contains("--no-keyword", keywordError);
    }

    [Fact]
    public async Task Ask_AnswersFromTheIndex_AndListsItsSources()
    {
        using var folder = new TemporaryDirectory();
        var index = await Index(folder);
        var (id, query) = Known(5);
        var (code, output, error) = await Run("ask", "--index", index, "-q", query, "--passages", "2", "--passage-chars", "100",
            "--instructions", "Cite sources as [n].", "--template", "{system}\\nQ: {instruction}\\nA: {response}\\n", "--temperature", "0", "-n", "12");
        Assert.True(code == 0, error);
        var lines = output.Split('\n');
        Assert.Equal($"# {query}", lines[0]);
        int sources = Array.FindIndex(lines, l => l == "Sources:");
        Assert.True(sources > 1, output);
        Assert.StartsWith("  [1]", lines[sources + 1]);
        Assert.Contains($" {id} [0..", lines[sources + 1]);
        Assert.StartsWith("  [2]", lines[sources + 2]);

        // brown-gpt reads 128 tokens: the default three 400-character passages do not fit, and the error says so.
        var (tooLong, _, tooLongError) = await Run("ask", "--index", index, "-q", query);
        Assert.Equal(CliApp.BadArguments, tooLong);
        Assert.Contains("the model reads at most 128", tooLongError);
    }
}
