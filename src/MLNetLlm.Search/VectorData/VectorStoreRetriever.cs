using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>
/// Any <c>Microsoft.Extensions.VectorData</c> collection (Qdrant, Azure AI Search, pgvector, an in-memory store: what
/// users bring to outgrow one machine) as an <see cref="IPassageRetriever"/>: the source of retrieval-augmented
/// generation, or one side of a <see cref="HybridRetriever"/>. The question is embedded with the options' embedder (or
/// passed as text to a collection that embeds itself), searched, and each record read as a passage through the
/// options' accessors, in the store's order.
/// </summary>
/// <typeparam name="TKey">The collection's key type.</typeparam>
/// <typeparam name="TRecord">The collection's record type.</typeparam>
public sealed class VectorStoreRetriever<TKey, TRecord> : IPassageRetriever
    where TKey : notnull
    where TRecord : class
{
    private readonly IVectorSearchable<TRecord> _collection;
    private readonly VectorStoreRetrieverOptions<TRecord> _options;

    /// <summary>Retrieves from <paramref name="collection"/> (not owned: disposing is the caller's).</summary>
    public VectorStoreRetriever(VectorStoreCollection<TKey, TRecord> collection, VectorStoreRetrieverOptions<TRecord> options)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.Id, "options.Id");
        ArgumentNullException.ThrowIfNull(options.Text, "options.Text");
        _collection = collection;
        _options = options;
        Name = collection.Name;
    }

    /// <summary>The collection's name, which errors quote.</summary>
    public string Name { get; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">The embedder returned no vector, or a record's id or text came back null.</exception>
    public async Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int count, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        var search = new VectorSearchOptions<TRecord> { Filter = _options.Filter };
        var results = _options.Embedder is { } embedder
            ? _collection.SearchAsync(await EmbedAsync(embedder, query, cancellationToken).ConfigureAwait(false), count, search, cancellationToken)
            : _collection.SearchAsync(query, count, search, cancellationToken);
        var passages = new List<RetrievedPassage>(count);
        await foreach (var result in results.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (passages.Count == count)
                break;
            passages.Add(Passage(result));
        }
        return passages;
    }

    private async Task<ReadOnlyMemory<float>> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> embedder, string query, CancellationToken cancellationToken)
    {
        var embeddings = await embedder.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false);
        return embeddings.Count == 1
            ? embeddings[0].Vector
            : throw new InvalidOperationException($"The embedder returned {embeddings.Count} vectors for one question (retrieving from the collection '{Name}').");
    }

    private RetrievedPassage Passage(VectorSearchResult<TRecord> result)
    {
        var record = result.Record;
        var id = _options.Id(record) ?? throw new InvalidOperationException($"A record of the collection '{Name}' has a null id.");
        var text = _options.Text(record) ?? throw new InvalidOperationException($"The record '{id}' of the collection '{Name}' has a null text.");
        var score = result.Score ?? 0;
        return new RetrievedPassage(id, text, _options.HigherScoreIsBetter ? score : -score,
            _options.SourceId?.Invoke(record) ?? id, _options.Start?.Invoke(record) ?? 0, text.Length);
    }
}
