namespace MLNetLlm.Plots.Tests;

/// <summary>A temporary folder for the pictures of one test, deleted afterwards.</summary>
internal sealed class PngFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("mlnetllm-plots-").FullName;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Whether the file starts with the PNG signature and holds more than a header.</summary>
    public static void AssertPng(string file)
    {
        var bytes = System.IO.File.ReadAllBytes(file);
        Assert.True(bytes.Length > 1000, $"{file} holds {bytes.Length} bytes.");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], bytes[..4]);
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
