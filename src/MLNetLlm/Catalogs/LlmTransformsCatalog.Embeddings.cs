using MLNetLlm.Embeddings;
using MLNetLlm.Kit;

namespace MLNetLlm;

public sealed partial class LlmTransformsCatalog
{
    /// <summary>
    /// Embeds the text column <paramref name="inputColumnName"/> into a fixed-length Single vector per row in
    /// <paramref name="outputColumnName"/> with <paramref name="embedder"/>. The overload without an embedder, from
    /// the MLNetLlm.Models package, runs the bundled all-MiniLM-L6-v2 (384 dimensions, mean pooling, L2-normalised: a
    /// dot product is the cosine similarity) on ONNX Runtime, with no download. A text longer than the model's window
    /// is read whole: windows of the model's length pooled by their length-weighted mean (<see cref="LongTextOptions.Default"/>;
    /// set <see cref="EmbedTextOptions.LongTexts"/> for another choice).
    /// </summary>
    /// <param name="outputColumnName">The vector column: a known-size vector of <see cref="TextEmbedder.Dimension"/> Single.</param>
    /// <param name="inputColumnName">The text column. Null and empty texts are embedded as the empty text.</param>
    /// <param name="embedder">The embedder: <see cref="SentenceEmbedders.FromOnnx"/> for a local ONNX file, a bundled model of MLNetLlm.Models (<c>SentenceEmbedders.MiniLmL6V2()</c>), or a GPT embedder from MLNetLlm.TorchSharp.</param>
    /// <param name="batchSize">Rows embedded per model call.</param>
    /// <example><code>
    /// var model = ml.Transforms.Llm.EmbedText("Embedding", "Text", SentenceEmbedders.FromOnnx("model.onnx", tokenizer)).Fit(data);
    /// </code></example>
    public EmbedTextEstimator EmbedText(string outputColumnName, string inputColumnName, TextEmbedder embedder, int batchSize = 32) =>
        EmbedText(new EmbedTextOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Embedder = embedder,
            BatchSize = batchSize,
        });

    /// <summary>Embeds a text column into fixed-length vectors, as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid or the embedder is missing (the message names it).</exception>
    public EmbedTextEstimator EmbedText(EmbedTextOptions options)
    {
        var settings = EmbedTextSettings.From(options);
        var embedder = options.Embedder ?? throw new ArgumentNullException(nameof(EmbedTextOptions.Embedder),
            $"{nameof(EmbedTextOptions)}.{nameof(EmbedTextOptions.Embedder)} is null: pass an embedder, such as SentenceEmbedders.FromOnnx(...) " +
            "or the bundled SentenceEmbedders.MiniLmL6V2() of the package MLNetLlm.Models.");
        Environment.LogInfo("EmbedText", $"EmbedText '{settings.InputColumnName}' -> '{settings.OutputColumnName}' with {embedder.Name} ({embedder.Dimension} dimensions), batches of {settings.BatchSize}.");
        return new EmbedTextEstimator(embedder, settings);
    }
}

public sealed partial class LlmTransformsCatalog
{
    /// <summary>
    /// Learns static word embeddings from <paramref name="inputColumnName"/> when fitted (skip-gram with negative
    /// sampling), and then maps that column to the mean vector of each row's words in <paramref name="outputColumnName"/>.
    /// The fitted transformer's <see cref="WordEmbeddingsTransformer.WordVectors"/> answers nearest-neighbour and analogy queries.
    /// </summary>
    /// <param name="outputColumnName">The vector column: <paramref name="dimension"/> Single per row.</param>
    /// <param name="inputColumnName">A text column, or a token-id column (vector of Int64 or Int32).</param>
    /// <param name="dimension">The length of each word vector.</param>
    /// <param name="window">The largest distance between a word and its context words.</param>
    /// <param name="minCount">Words seen fewer times are left out.</param>
    /// <param name="epochs">Passes over the corpus.</param>
    /// <example><code>
    /// var model = ml.Transforms.Llm.TrainWordEmbeddings("Vector", "Text").Fit(corpus);
    /// var near = model.WordVectors.NearestNeighbours("monday", 5);
    /// </code></example>
    public TrainWordEmbeddingsEstimator TrainWordEmbeddings(string outputColumnName = "WordEmbedding", string inputColumnName = "Text",
        int dimension = 100, int window = 5, int minCount = 5, int epochs = 5) =>
        TrainWordEmbeddings(new TrainWordEmbeddingsOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Training = new SkipGramOptions { Dimension = dimension, Window = window, MinCount = minCount, Epochs = epochs },
        });

    /// <summary>Learns static word embeddings when fitted and maps a column to them, as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public TrainWordEmbeddingsEstimator TrainWordEmbeddings(TrainWordEmbeddingsOptions options) => new(Environment, options);
}
