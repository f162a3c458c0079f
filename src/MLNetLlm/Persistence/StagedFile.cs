namespace MLNetLlm.Persistence;

/// <summary>
/// Writes a file through a temporary file in the same folder that replaces the target only once complete, so a failed
/// write leaves any previous file untouched and no temporary file behind.
/// </summary>
internal static class StagedFile
{
    /// <param name="path">The file to write; its folder is created when missing.</param>
    /// <param name="write">Writes the whole file at the new path it is given (a file that does not exist yet).</param>
    public static void Write(string path, Action<string> write)
    {
        var fullPath = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temporary = fullPath + $".{Guid.NewGuid():N}.tmp";
        try
        {
            write(temporary);
            File.Move(temporary, fullPath, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
