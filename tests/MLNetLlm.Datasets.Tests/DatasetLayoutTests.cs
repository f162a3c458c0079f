using Microsoft.ML;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

// A cached package that is complete but not laid out as the loaders expect fails at load, naming what is missing.
public sealed class DatasetLayoutTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("mlnetllm-layout-").FullName;
    private readonly MLContext _ml = new(seed: 1);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string FakeCachedPackage(PinnedNpmPackage package)
    {
        var directory = Directory.CreateDirectory(Path.Combine(_root, package.FileStem)).FullName;
        File.WriteAllText(Path.Combine(directory, NpmPackageCache.MarkerFileName), package.Integrity);
        return directory;
    }

    [Fact]
    public void Brown_without_its_category_file_fails_at_load()
    {
        FakeCachedPackage(PinnedPackages.BrownCorpus);
        var error = Assert.Throws<InvalidDataException>(() => _ml.Data.Llm.LoadBrownCorpus(_root));
        Assert.Contains("cats.txt", error.Message);
    }

    [Fact]
    public void Brown_category_lines_must_be_id_and_genre()
    {
        var directory = FakeCachedPackage(PinnedPackages.BrownCorpus);
        File.WriteAllText(Path.Combine(directory, "cats.txt"), "ca01 news\n../etc/passwd news\n");
        var error = Assert.Throws<InvalidDataException>(() => _ml.Data.Llm.LoadBrownCorpus(_root));
        Assert.Contains("../etc/passwd", error.Message);
    }

    [Fact]
    public void SpamAssassin_without_a_group_folder_fails_at_load()
    {
        FakeCachedPackage(PinnedPackages.SpamAssassin);
        var error = Assert.Throws<InvalidDataException>(() => _ml.Data.Llm.LoadSpamAssassin(_root));
        Assert.Contains("data/easy-ham-1", error.Message);
    }

    [Fact]
    public void NlpCorpus_without_its_builds_folder_fails_at_load()
    {
        FakeCachedPackage(PinnedPackages.NlpCorpus);
        var error = Assert.Throws<InvalidDataException>(() => _ml.Data.Llm.LoadNlpCorpus(_root));
        Assert.Contains("builds", error.Message);
    }
}
