namespace MLNetLlm.Cli.Output;

/// <summary>
/// Writes a command's outputs so that a failure leaves nothing half-written: every file goes to a staging folder beside
/// the target, and only a complete set is moved into place (<see cref="Commit"/>); disposing without committing deletes it.
/// </summary>
internal sealed class StagedOutput : IDisposable
{
    private readonly List<(string Staged, string Target)> _files = [];
    private readonly bool _createdFolder;
    private bool _committed;

    private StagedOutput(string folder, string staging, bool createdFolder)
    {
        Folder = folder;
        Staging = staging;
        _createdFolder = createdFolder;
    }

    /// <summary>The folder the files end up in.</summary>
    public string Folder { get; }

    /// <summary>The staging folder (a hidden sibling of a target file, created and removed by this class).</summary>
    public string Staging { get; }

    /// <summary>Stages outputs for <paramref name="folder"/>, first checking that it can be written (before any long work).</summary>
    /// <exception cref="Commands.UsageException">The folder cannot be created or written.</exception>
    public static StagedOutput For(string folder)
    {
        folder = Path.GetFullPath(folder);
        string staging = Path.Combine(folder, $".mlnetllm-{Guid.NewGuid():N}.partial");
        bool created = !Directory.Exists(folder);
        try
        {
            Directory.CreateDirectory(staging);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (created && Directory.Exists(folder) && !Directory.EnumerateFileSystemEntries(folder).Any())
                Directory.Delete(folder);
            throw new Commands.UsageException($"The output folder {folder} is not writable: {e.Message}");
        }
        return new StagedOutput(folder, staging, created);
    }

    /// <summary>Stages outputs for the single file <paramref name="path"/> (in its folder).</summary>
    public static StagedOutput ForFile(string path, out string staged)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
            throw new Commands.UsageException($"The output {full} is a folder; give a file name.");
        var output = For(Path.GetDirectoryName(full)!);
        staged = output.File(Path.GetFileName(full));
        return output;
    }

    /// <summary>The staged path of the output file <paramref name="name"/>: write it there.</summary>
    public string File(string name)
    {
        string staged = Path.Combine(Staging, name);
        _files.Add((staged, Path.Combine(Folder, name)));
        return staged;
    }

    /// <summary>Moves every staged file that was written into the target folder, replacing older ones.</summary>
    public void Commit()
    {
        foreach (var (staged, target) in _files)
            if (System.IO.File.Exists(staged))
                System.IO.File.Move(staged, target, overwrite: true);
        _committed = true;
        Dispose();
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(Staging))
                Directory.Delete(Staging, recursive: true);
            if (!_committed && _createdFolder && Directory.Exists(Folder) && !Directory.EnumerateFileSystemEntries(Folder).Any())
                Directory.Delete(Folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (_committed) throw;
        }
    }
}
