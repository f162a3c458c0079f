using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

// A cached WordNet package that is marked complete but damaged fails with an error naming the file, the line and the
// folder to delete; deleting it lets the next load fetch the package afresh.
public sealed class WordNetCacheTests : IDisposable
{
    private const string License = "  1 This software and database is being provided to you\n  2   \n";
    private readonly string _root = Directory.CreateTempSubdirectory("mlnetllm-wordnet-").FullName;
    private readonly MLContext _ml = new(seed: 1);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string FakeCachedWordNet(string nouns)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, PinnedPackages.WordNet.FileStem)).FullName;
        File.WriteAllText(Path.Combine(directory, NpmPackageCache.MarkerFileName), PinnedPackages.WordNet.Integrity);
        var dict = Directory.CreateDirectory(Path.Combine(directory, "dict")).FullName;
        File.WriteAllText(Path.Combine(dict, "data.noun"), nouns);
        var verbOffset = License.Length.ToString("D8");
        File.WriteAllText(Path.Combine(dict, "data.verb"), License + $"{verbOffset} 29 v 01 run 0 000 01 + 02 00 | move fast  \n");
        File.WriteAllText(Path.Combine(dict, "data.adj"), License);
        File.WriteAllText(Path.Combine(dict, "data.adv"), License);
        return directory;
    }

    private static string NounLine(int offset, string word) => $"{offset:D8} 05 n 01 {word} 0 000 | a {word}; \"the {word} barked\"  \n";

    [Fact]
    public void A_well_formed_small_package_loads()
    {
        var first = NounLine(License.Length, "dog");
        FakeCachedWordNet(License + first + NounLine(License.Length + first.Length, "cat"));
        var synsets = _ml.Data.CreateEnumerable<WordNetSynset>(_ml.Data.Llm.LoadWordNet(_root), reuseRowObject: false).ToList();
        Assert.Equal([$"{License.Length:D8}-n", $"{License.Length + first.Length:D8}-n", $"{License.Length:D8}-v"], synsets.Select(s => s.Id));
        Assert.Equal(["the cat barked"], synsets[1].Examples);
        Assert.Equal("move fast", synsets[2].Gloss);
        Assert.Empty(synsets[2].Examples);
    }

    [Fact]
    public void A_damaged_line_is_named_with_its_file_and_line_and_the_folder_to_delete()
    {
        var first = NounLine(License.Length, "dog");
        var directory = FakeCachedWordNet(License + first + "garbage that is not a synset\n");
        var view = _ml.Data.Llm.LoadWordNet(_root);

        var error = Assert.Throws<InvalidDataException>(() => view.GetColumn<string>("Id").ToList());
        Assert.Contains(Path.Combine(directory, "dict", "data.noun") + ", line 4", error.Message);
        Assert.Contains($"delete {directory}", error.Message);
    }

    [Fact]
    public void A_truncated_file_is_caught_by_the_offsets()
    {
        var first = NounLine(License.Length, "dog");
        var directory = FakeCachedWordNet(License + first[10..] + NounLine(License.Length + first.Length, "cat"));
        var error = Assert.Throws<InvalidDataException>(() => _ml.Data.Llm.LoadWordNet(_root).GetColumn<string>("Id").ToList());
        Assert.Contains("data.noun, line 3", error.Message);
        Assert.Contains(directory, error.Message);
    }

    [Fact]
    public void A_missing_data_file_fails_at_load()
    {
        var directory = FakeCachedWordNet(License);
        File.Delete(Path.Combine(directory, "dict", "data.adv"));
        var error = Assert.Throws<InvalidDataException>(() => _ml.Data.Llm.LoadWordNet(_root));
        Assert.Contains("dict/data.adv", error.Message);
        Assert.Contains($"delete {directory}", error.Message);
    }

    [Fact]
    public void Deleting_the_damaged_folder_fetches_the_package_again()
    {
        var directory = FakeCachedWordNet(License + "garbage\n");
        Assert.Throws<InvalidDataException>(() => _ml.Data.Llm.LoadWordNet(_root).GetColumn<string>("Id").ToList());

        Directory.Delete(directory, recursive: true);
        var view = _ml.Data.Llm.LoadWordNet(_root);
        Assert.Equal(117_791, view.GetRowCount());
        Assert.Equal("00001740-n", view.GetColumn<string>("Id").First());
    }
}
