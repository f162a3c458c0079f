using MLNetLlm.Embeddings;

/// <summary>
/// The WordNet retrieval test: each held-out example sentence is a query, every held-out gloss a document; an embedder
/// ranks the glosses by cosine similarity and should put the sentence's own gloss first.
/// </summary>
internal static class GlossRetrieval
{
    /// <summary>Embeds the queries and glosses with <paramref name="embedder"/> and scores recall@1, recall@k and MRR@k.</summary>
    public static RetrievalMetrics Evaluate(TextEmbedder embedder, WordNetPairs pairs, int k)
    {
        var queries = embedder.Embed(pairs.Queries.Select(q => (string?)q.Example).ToList());
        var glosses = embedder.Embed(pairs.HeldOutGlosses.Select(g => (string?)g).ToList());
        return RetrievalMetrics.Compute(queries, glosses, pairs.QueryGloss, k);
    }
}
