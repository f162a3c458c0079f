using MLNetLlm.Search;

namespace MLNetLlm;

/// <summary>The search entry points of <c>mlContext.Transforms.Llm</c>, from the MLNetLlm.Search package.</summary>
public static class LlmTransformsCatalogSearch
{
    extension(LlmTransformsCatalog catalog)
    {
        /// <summary>
        /// Indexes a corpus's embeddings when fitted, and then, for each row's query (text or vector), adds its
        /// <paramref name="k"/> nearest documents: ids in "NeighbourIds", scores in "NeighbourScores" and texts in
        /// "NeighbourTexts". Exact search below 20,000 documents, HNSW (USearch) above; cosine similarity.
        /// </summary>
        /// <param name="queryColumnName">The query column: text (embedded by <paramref name="embedder"/>) or a vector of Single.</param>
        /// <param name="embedder">The embedder that made the corpus's embeddings, for text queries; null for vector queries only.</param>
        /// <param name="k">Neighbours per query (clamped to the corpus size).</param>
        /// <param name="idColumnName">The corpus's id column (text).</param>
        /// <param name="embeddingColumnName">The corpus's embedding column (vector of Single).</param>
        /// <param name="textColumnName">The corpus's text column, or null.</param>
        /// <example><code>
        /// var corpus = ml.Transforms.Llm.EmbedText("Embedding", "Text").Fit(documents).Transform(documents);
        /// var search = ml.Transforms.Llm.IndexVectors("Query", SentenceEmbedders.MiniLmL6V2(), k: 5).Fit(corpus);
        /// var answers = search.Transform(questions);   // NeighbourIds, NeighbourScores, NeighbourTexts
        /// </code></example>
        public VectorSearchEstimator IndexVectors(string queryColumnName = "Query", Embeddings.TextEmbedder? embedder = null, int k = 10,
            string idColumnName = "Id", string embeddingColumnName = "Embedding", string? textColumnName = "Text") =>
            catalog.IndexVectors(new VectorSearchOptions
            {
                QueryColumnName = queryColumnName,
                Embedder = embedder,
                K = k,
                IdColumnName = idColumnName,
                EmbeddingColumnName = embeddingColumnName,
                TextColumnName = textColumnName,
            });

        /// <summary>Indexes a corpus's embeddings and searches them for each row's query, as <paramref name="options"/> say.</summary>
        /// <exception cref="ArgumentException">An invalid option (the message names it).</exception>
        public VectorSearchEstimator IndexVectors(VectorSearchOptions options) => new(catalog.Environment, options);
    }
}
