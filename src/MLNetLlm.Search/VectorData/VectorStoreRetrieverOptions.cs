using System.Linq.Expressions;
using Microsoft.Extensions.AI;

namespace MLNetLlm.Search;

/// <summary>How a <see cref="VectorStoreRetriever{TKey, TRecord}"/> reads a user's vector-store records as passages.</summary>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
public sealed record VectorStoreRetrieverOptions<TRecord>
{
    /// <summary>The passage id of a record (its key as text, say). Required.</summary>
    public required Func<TRecord, string> Id { get; init; }

    /// <summary>The passage text of a record. Required.</summary>
    public required Func<TRecord, string> Text { get; init; }

    /// <summary>The id of the document a record's passage was cut from, or null when each record is its own source. Default null.</summary>
    public Func<TRecord, string>? SourceId { get; init; }

    /// <summary>Where a record's passage starts in its source, in characters, or null for 0. Default null.</summary>
    public Func<TRecord, int>? Start { get; init; }

    /// <summary>
    /// Embeds the question before searching (any of our embedders, or any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>);
    /// null passes the question as text, for a collection that embeds text itself (one configured with an embedding
    /// generator). Default null.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embedder { get; init; }

    /// <summary>A filter the store applies to every search, or null. Default null.</summary>
    public Expression<Func<TRecord, bool>>? Filter { get; init; }

    /// <summary>
    /// Whether the store's scores are similarities (higher is better). Set false for a store that returns distances
    /// (Euclidean, say), so passages get the negated distance as score, higher still better. Default true.
    /// </summary>
    public bool HigherScoreIsBetter { get; init; } = true;
}
