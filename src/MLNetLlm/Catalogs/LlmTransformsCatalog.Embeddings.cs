using MLNetLlm.Embeddings;

namespace MLNetLlm;

public sealed partial class LlmTransformsCatalog
{
    /// <summary>
    /// Embeds the text column <paramref name="inputColumnName"/> into a fixed-length Single vector per row in
    /// <paramref name="outputColumnName"/>. With no <paramref name="embedder"/>, the built-in all-MiniLM-L6-v2
    /// sentence-transformers model (384 dimensions, mean pooling, L2-normalised: a dot product is the cosine
    /// similarity) runs on ONNX Runtime, with no download.
    /// </summary>
    /// <param name="outputColumnName">The vector column: a known-size vector of <see cref="TextEmbedder.Dimension"/> Single.</param>
    /// <param name="inputColumnName">The text column. Null and empty texts are embedded as the empty text.</param>
    /// <param name="embedder">The embedder: <see cref="SentenceEmbedders.FromOnnx"/> for a local ONNX file, a GPT embedder from MLNetLlm.TorchSharp, or null for <see cref="SentenceEmbedders.MiniLmL6V2"/>.</param>
    /// <param name="batchSize">Rows embedded per model call.</param>
    /// <example><code>
    /// var model = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data);
    /// </code></example>
    public EmbedTextEstimator EmbedText(string outputColumnName = "Embedding", string inputColumnName = "Text",
        TextEmbedder? embedder = null, int batchSize = 32) =>
        EmbedText(new EmbedTextOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Embedder = embedder,
            BatchSize = batchSize,
        });

    /// <summary>Embeds a text column into fixed-length vectors, as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public EmbedTextEstimator EmbedText(EmbedTextOptions options)
    {
        var settings = EmbedTextSettings.From(options);
        var embedder = options.Embedder ?? SentenceEmbedders.MiniLmL6V2();
        Environment.LogInfo("EmbedText", $"EmbedText '{settings.InputColumnName}' -> '{settings.OutputColumnName}' with {embedder.Name} ({embedder.Dimension} dimensions), batches of {settings.BatchSize}.");
        return new EmbedTextEstimator(embedder, settings);
    }
}
