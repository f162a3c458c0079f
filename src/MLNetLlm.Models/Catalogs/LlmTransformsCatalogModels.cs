using MLNetLlm.Embeddings;

namespace MLNetLlm;

/// <summary>The entry points of <c>mlContext.Transforms.Llm</c> that default to a bundled model of MLNetLlm.Models.</summary>
public static class LlmTransformsCatalogModels
{
    extension(LlmTransformsCatalog catalog)
    {
        /// <summary>
        /// Embeds the text column <paramref name="inputColumnName"/> into a fixed-length Single vector per row in
        /// <paramref name="outputColumnName"/> with the bundled all-MiniLM-L6-v2 sentence-transformers model
        /// (<c>SentenceEmbedders.MiniLmL6V2()</c>: 384 dimensions, mean pooling, L2-normalised, so a dot product is the
        /// cosine similarity), on ONNX Runtime, with no download. Pass an embedder to the core overload for another model.
        /// </summary>
        /// <param name="outputColumnName">The vector column: a known-size vector of 384 Single.</param>
        /// <param name="inputColumnName">The text column. Null and empty texts are embedded as the empty text.</param>
        /// <param name="batchSize">Rows embedded per model call.</param>
        /// <example><code>
        /// var model = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(data);
        /// </code></example>
        public EmbedTextEstimator EmbedText(string outputColumnName = "Embedding", string inputColumnName = "Text", int batchSize = 32) =>
            catalog.EmbedText(outputColumnName, inputColumnName, SentenceEmbedders.MiniLmL6V2(), batchSize);
    }
}
