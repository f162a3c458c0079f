using System.Text;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Datasets;

namespace MLNetLlm.TorchSharp.Tests.Cli;

/// <summary>
/// Real labelled text as a user would bring it: the first two 50-word passages of every Brown text of four genres
/// (news, romance, government, hobbies; about 280 rows), written once as a CSV with a header (<c>Passage</c>,
/// <c>Genre</c>), quotes and commas included.
/// </summary>
public sealed class BrownPassageTable : IDisposable
{
    public static readonly string[] Genres = ["news", "romance", "government", "hobbies"];

    public BrownPassageTable()
    {
        var ml = new MLContext(seed: 1);
        var brown = ml.Data.Llm.LoadBrownCorpus();
        var genres = brown.GetColumn<string>("Genre").ToArray();
        var texts = brown.GetColumn<string>("Text").ToArray();
        Rows = [.. genres.Zip(texts).Where(t => Genres.Contains(t.First)).SelectMany(t => Passages(t.Second).Take(2).Select(p => (p, t.First)))];
        Directory.CreateDirectory(Folder);
        CsvPath = Write(Rows, "brown.csv");
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"mlnetllm-cli-brown-{Guid.NewGuid():N}");

    public string CsvPath { get; }

    public IReadOnlyList<(string Passage, string Genre)> Rows { get; }

    /// <summary>The first <paramref name="perGenre"/> passages of each genre as their own CSV file.</summary>
    public string WriteFirst(int perGenre) =>
        Write([.. Genres.SelectMany(g => Rows.Where(r => r.Genre == g).Take(perGenre))], $"brown-{perGenre}.csv");

    private string Write(IEnumerable<(string Passage, string Genre)> rows, string name)
    {
        var csv = new StringBuilder("Passage,Genre\n");
        foreach (var (passage, genre) in rows)
            csv.Append('"').Append(passage.Replace("\"", "\"\"")).Append("\",").Append(genre).Append('\n');
        var path = Path.Combine(Folder, name);
        File.WriteAllText(path, csv.ToString());
        return path;
    }

    private static IEnumerable<string> Passages(string text)
    {
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        for (int start = 0; start + 50 <= words.Length; start += 50)
            yield return string.Join(' ', words, start, 50);
    }

    public void Dispose()
    {
        if (Directory.Exists(Folder))
            Directory.Delete(Folder, recursive: true);
    }
}

/// <summary>The CLI tests that read the Brown passages share one table.</summary>
[CollectionDefinition(Name)]
public sealed class BrownPassageCollection : ICollectionFixture<BrownPassageTable>
{
    public const string Name = "CLI over Brown passages";
}
