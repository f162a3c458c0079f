using System.Collections.Concurrent;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// The one way checkpoints reach the disk: every file is written into a hidden staging folder first and moved into
/// place only once all of them are written, so a failure while writing (a full disk, a tokenizer that cannot save, an
/// exception in a callback) leaves the previous checkpoint as it was.
/// </summary>
/// <remarks>
/// A write into a folder that is being staged, or is inside one (a training checkpoint saving its model into the step
/// folder it stages), goes straight into it: the outer write already makes it all-or-nothing, so files are staged once.
/// </remarks>
internal static class StagedFolderWrite
{
    // Staging folders whose write is running, on any thread.
    private static readonly ConcurrentDictionary<string, byte> Staging = new(StringComparer.Ordinal);

    /// <summary>
    /// Writes a checkpoint into <paramref name="directory"/>, which may hold other files: they are never touched. The
    /// staging folder is inside it; each file or folder written then replaces the one of the same name.
    /// </summary>
    /// <param name="directory">The checkpoint folder; created when missing.</param>
    /// <param name="write">Writes every file and sub-folder of the checkpoint into the staging folder it is given.</param>
    /// <param name="isStale">Names (files or folders directly in <paramref name="directory"/>) that belong to this kind
    /// of checkpoint: those the new write did not produce are removed, so no file of the previous save lingers.</param>
    public static void Write(string directory, Action<string> write, Func<string, bool> isStale)
    {
        var target = Path.GetFullPath(directory);
        Directory.CreateDirectory(target);
        if (IsStaged(target))
        {
            write(target);
            return;
        }
        Stage(Path.Combine(target, $".saving-{Guid.NewGuid():N}"), write, staging =>
        {
            var produced = Directory.EnumerateFileSystemEntries(staging).Select(Path.GetFileName).ToHashSet()!;
            foreach (var name in produced)
                Replace(Path.Combine(staging, name!), Path.Combine(target, name!));
            foreach (var entry in Directory.EnumerateFileSystemEntries(target).ToList())
            {
                var name = Path.GetFileName(entry);
                if (!produced.Contains(name) && entry != staging && isStale(name))
                    Delete(entry);
            }
        });
    }

    /// <summary>
    /// Writes <paramref name="directory"/> as a whole (a folder that belongs to the checkpoint alone, such as a training
    /// run's <c>step-…</c> folder): staged beside it and renamed into place in one move, replacing a folder of that name.
    /// </summary>
    /// <param name="directory">The folder to write; its parent is created when missing.</param>
    /// <param name="write">Writes every file and sub-folder into the staging folder it is given.</param>
    public static void WriteWhole(string directory, Action<string> write)
    {
        var target = Path.GetFullPath(directory);
        if (IsStaged(target))
        {
            write(Directory.CreateDirectory(target).FullName);
            return;
        }
        var parent = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(parent);
        Stage(Path.Combine(parent, $".{Path.GetFileName(target)}.saving-{Guid.NewGuid():N}"), write, staging => Replace(staging, target));
    }

    // Whether the folder is, or is inside, a staging folder being written.
    private static bool IsStaged(string path) =>
        Staging.Keys.Any(staging => path == staging || path.StartsWith(staging + Path.DirectorySeparatorChar, StringComparison.Ordinal));

    private static void Stage(string staging, Action<string> write, Action<string> publish)
    {
        Directory.CreateDirectory(staging);
        Staging.TryAdd(staging, 0);
        try
        {
            write(staging);
            publish(staging);
        }
        finally
        {
            Staging.TryRemove(staging, out _);
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
        var aside = Path.Combine(Path.GetDirectoryName(destination)!, $".{Path.GetFileName(destination)}.old-{Guid.NewGuid():N}");
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
