using System.Reflection;
using Microsoft.Extensions.AI;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Factories for the sentence embedders MLNetLlm runs without libtorch: any ONNX file (<see cref="FromOnnx"/>), and
/// the models bundled in a package (<see cref="FromBundledOnnx"/>). The bundled all-MiniLM-L6-v2 and arctic-embed-xs
/// come with the MLNetLlm.Models package, as <c>SentenceEmbedders.MiniLmL6V2()</c> and <c>SentenceEmbedders.ArcticEmbedXs()</c>.
/// </summary>
public static class SentenceEmbedders
{
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

    /// <summary>
    /// A model whose ONNX bytes ship inside an assembly (a package of bundled models, such as MLNetLlm.Models). It runs
    /// from memory, and a saved EmbedText transform stores only its <paramref name="persistenceKind"/>, not its
    /// weights: loading rebuilds it through the <see cref="ITextEmbedderLoader"/> of that kind that
    /// <paramref name="loaderAssembly"/> declares (<see cref="Kit.LlmLoaderAttribute"/>). Create one per process
    /// and share it: disposing it does nothing.
    /// </summary>
    /// <param name="model">The ONNX model's bytes.</param>
    /// <param name="tokenizer">The model's tokenizer.</param>
    /// <param name="options">Input and output names, pooling, normalisation, truncation.</param>
    /// <param name="name">The model's name, for logs and errors (<c>all-MiniLM-L6-v2</c>).</param>
    /// <param name="persistenceKind">The kind saved models name it by; stable across versions.</param>
    /// <param name="loaderAssembly">The assembly that declares the loader of <paramref name="persistenceKind"/>.</param>
    /// <exception cref="InvalidDataException">ONNX Runtime cannot load the bytes.</exception>
    /// <exception cref="ArgumentException">The model's inputs or output do not fit the options, or a name is blank.</exception>
    public static OnnxSentenceEmbedder FromBundledOnnx(byte[] model, LlmTokenizer tokenizer, OnnxSentenceEmbedderOptions options,
        string name, string persistenceKind, Assembly loaderAssembly)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(persistenceKind);
        ArgumentNullException.ThrowIfNull(loaderAssembly);
        return new OnnxSentenceEmbedder(model, null, tokenizer, options, name, new OnnxSentenceEmbedder.Bundled(persistenceKind, loaderAssembly));
    }

    /// <summary>
    /// Any <c>Microsoft.Extensions.AI</c> embedding generator as a <see cref="TextEmbedder"/>, for <c>EmbedText</c>:
    /// batches go to the generator as they are (see <see cref="EmbeddingGeneratorEmbedder"/>).
    /// </summary>
    /// <param name="generator">The generator.</param>
    /// <param name="dimension">The length of its vectors. Null: read from its <see cref="EmbeddingGeneratorMetadata"/>.</param>
    /// <param name="ownsGenerator">Dispose the generator with the embedder. Default false: it stays the caller's.</param>
    /// <exception cref="ArgumentException">No <paramref name="dimension"/> given and the generator's metadata has none.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="dimension"/> is not positive.</exception>
    public static EmbeddingGeneratorEmbedder FromEmbeddingGenerator(IEmbeddingGenerator<string, Embedding<float>> generator, int? dimension = null,
        bool ownsGenerator = false)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var metadata = generator.GetService(typeof(EmbeddingGeneratorMetadata)) as EmbeddingGeneratorMetadata;
        int length = dimension ?? metadata?.DefaultModelDimensions
            ?? throw new ArgumentException($"The embedding generator {generator.GetType().Name} does not say how long its vectors are; pass the dimension.", nameof(dimension));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(length, nameof(dimension));
        string name = $"{metadata?.DefaultModelId ?? generator.GetType().Name} (IEmbeddingGenerator{(metadata?.ProviderName is { } provider ? ", " + provider : "")})";
        return new EmbeddingGeneratorEmbedder(generator, length, name, ownsGenerator);
    }
}
