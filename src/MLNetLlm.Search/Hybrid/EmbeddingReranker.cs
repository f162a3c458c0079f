using System.Numerics.Tensors;
using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>
/// Re-orders a short list of candidates by the cosine similarity of a second (usually stronger, slower) embedder
/// between the query and each passage's text: the first stage finds candidates cheaply over the whole corpus, the
/// reranker reads only those.
/// </summary>
/// <param name="embedder">The embedder that scores query and passages.</param>
public sealed class EmbeddingReranker(TextEmbedder embedder)
{
    /// <summary>The embedder that scores.</summary>
    public TextEmbedder Embedder { get; } = embedder ?? throw new ArgumentNullException(nameof(embedder));

    /// <summary>The candidates with the reranker's cosine as their score, best first (ties keep the candidates' order).</summary>
    /// <exception cref="ArgumentException">The query is blank.</exception>
    public IReadOnlyList<RetrievedPassage> Rerank(string query, IReadOnlyList<RetrievedPassage> candidates)
    {
        if (string.IsNullOrWhiteSpace(query))
            throw new ArgumentException("The query text is empty.", nameof(query));
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Count == 0)
            return [];
        var vectors = Embedder.Embed([query, .. candidates.Select(c => c.Text)]);
        return [.. candidates.Select((c, i) => c with { Score = TensorPrimitives.CosineSimilarity(vectors[0], vectors[i + 1]) })
            .Select((c, i) => (c, i)).OrderByDescending(x => x.c.Score).ThenBy(x => x.i).Select(x => x.c)];
    }
}
