namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Writes a checkpoint's files into a hidden staging folder inside the target, and only when all of them are written
/// moves them over the previous ones. A failure while writing (a full disk, a tokenizer that cannot save, an
/// exception in a callback) leaves the previous checkpoint as it was; other files in the folder are never touched.
/// </summary>
internal static class StagedFolderWrite
{
    /// <param name="directory">The checkpoint folder; created when missing.</param>
    /// <param name="write">Writes every file and sub-folder of the checkpoint into the staging folder it is given.</param>
    /// <param name="isStale">Names (files or folders directly in <paramref name="directory"/>) that belong to this kind
    /// of checkpoint: those the new write did not produce are removed, so no file of the previous save lingers.</param>
    public static void Write(string directory, Action<string> write, Func<string, bool> isStale)
    {
        var target = Path.GetFullPath(directory);
        Directory.CreateDirectory(target);
        var staging = Path.Combine(target, $".saving-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            write(staging);
            var produced = Directory.EnumerateFileSystemEntries(staging).Select(Path.GetFileName).ToHashSet()!;
            foreach (var name in produced)
                Replace(Path.Combine(staging, name!), Path.Combine(target, name!));
            foreach (var entry in Directory.EnumerateFileSystemEntries(target).ToList())
            {
                var name = Path.GetFileName(entry);
                if (!produced.Contains(name) && entry != staging && isStale(name))
                    Delete(entry);
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void Replace(string source, string destination)
    {
        if (File.Exists(source))
        {
            if (Directory.Exists(destination)) Directory.Delete(destination, recursive: true);
            File.Move(source, destination, overwrite: true);
            return;
        }
        // A folder cannot be renamed over another: set the old one aside first, so it is gone only once the new one is in place.
        var aside = destination + $".old-{Guid.NewGuid():N}";
        if (Directory.Exists(destination)) Directory.Move(destination, aside);
        else if (File.Exists(destination)) File.Move(destination, aside);
        Directory.Move(source, destination);
        Delete(aside);
    }

    private static void Delete(string path)
    {
        if (Directory.Exists(path)) Directory.Delete(path, recursive: true);
        else if (File.Exists(path)) File.Delete(path);
    }
}
