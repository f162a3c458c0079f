using System.Linq.Expressions;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace MLNetLlm.Search;

/// <summary>
/// A <see cref="VectorIndex"/> as a <c>Microsoft.Extensions.VectorData</c> collection, so code written against
/// <see cref="VectorStoreCollection{TKey, TRecord}"/> (Semantic Kernel, an app's data layer) searches, reads, upserts
/// and deletes our documents. The index is the collection: it exists as long as the index, and deleting the
/// collection is not supported (delete its records, or dispose the index).
/// </summary>
/// <remarks>
/// Search takes a <c>float[]</c>, <see cref="ReadOnlyMemory{T}"/> of float or <see cref="Embedding{T}"/> of float, or a
/// <see cref="string"/> when the index has an embedder. Filters are LINQ predicates over <see cref="VectorIndexRecord"/>
/// (without its vector), run in memory; an HNSW index asks its graph for more neighbours until enough pass. Scores are
/// the index's similarities (higher is better), so <see cref="VectorSearchOptions{TRecord}.ScoreThreshold"/> keeps
/// results scoring at least the threshold. Ordering a filtered read (<c>OrderBy</c>) is not supported.
/// </remarks>
public sealed class VectorIndexCollection : VectorStoreCollection<string, VectorIndexRecord>
{
    /// <summary>The name <see cref="VectorStoreCollectionMetadata.VectorStoreSystemName"/> reports.</summary>
    public const string SystemName = "mlnetllm.vectorindex";

    private readonly VectorIndex _index;

    /// <summary>Wraps <paramref name="index"/> (not copied: changes through either are seen by both; disposing the collection leaves the index open).</summary>
    /// <param name="index">The index.</param>
    /// <param name="name">The collection's name. Default <c>documents</c>.</param>
    public VectorIndexCollection(VectorIndex index, string name = "documents")
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _index = index;
        Name = name;
    }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    /// <remarks>Always true: the collection is its index.</remarks>
    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    /// <inheritdoc/>
    /// <remarks>Nothing to do: the collection is its index.</remarks>
    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    /// <summary>Not supported: the collection lives as long as its index.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default) =>
        throw Unsupported(nameof(EnsureCollectionDeletedAsync), "the collection is a VectorIndex and lives as long as it; delete its records with DeleteAsync or dispose the index");

    /// <inheritdoc/>
    public override Task<VectorIndexRecord?> GetAsync(string key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        var document = _index.Document(key);
        return Task.FromResult(document is null ? null : Record(document, options?.IncludeVectors == true));
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException"><see cref="FilteredRecordRetrievalOptions{TRecord}.OrderBy"/> is set.</exception>
    public override IAsyncEnumerable<VectorIndexRecord> GetAsync(Expression<Func<VectorIndexRecord, bool>> filter, int top,
        FilteredRecordRetrievalOptions<VectorIndexRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(options?.Skip ?? 0, "options.Skip");
        if (options?.OrderBy is not null)
            throw Unsupported("GetAsync with OrderBy", "records come back in the order they were added");
        cancellationToken.ThrowIfCancellationRequested();
        var keep = filter.Compile();
        var vectors = options?.IncludeVectors == true;
        return _index.Documents().Select(d => Record(d, includeVector: false)).Where(keep)
            .Skip(options?.Skip ?? 0).Take(top)
            .Select(r => vectors ? WithVector(r) : r)
            .ToList().ToAsyncEnumerable();
    }

    /// <inheritdoc/>
    public override Task DeleteAsync(string key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        _index.Remove(key);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The record's id is blank, or its vector is unfit (or empty while the index has no embedder or the record no text).</exception>
    public override Task UpsertAsync(VectorIndexRecord record, CancellationToken cancellationToken = default) =>
        UpsertAsync([record], cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A record's id is blank or repeated in the batch, or its vector is unfit; nothing is written then.</exception>
    public override Task UpsertAsync(IEnumerable<VectorIndexRecord> records, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        var list = records.ToList();
        for (var i = 0; i < list.Count; i++)
            if (list[i] is null)
                throw new ArgumentException($"Record {i} is null.", nameof(records));
        var vectors = Vectors(list);
        _index.Upsert([.. list.Select((r, i) => new VectorDocument(r.Id, vectors[i], r.Text, r.Metadata, r.SourceId, r.Start, r.Length))]);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException"><typeparamref name="TInput"/> is not a vector or a string, or it is a string and the index has no embedder.</exception>
    /// <exception cref="ArgumentException">The vector has another dimension than the index's, or a NaN or infinite value.</exception>
    public override IAsyncEnumerable<VectorSearchResult<VectorIndexRecord>> SearchAsync<TInput>(TInput searchValue, int top,
        VectorSearchOptions<VectorIndexRecord>? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(searchValue);
        ArgumentOutOfRangeException.ThrowIfLessThan(top, 1);
        var skip = options?.Skip ?? 0;
        ArgumentOutOfRangeException.ThrowIfNegative(skip, "options.Skip");
        cancellationToken.ThrowIfCancellationRequested();
        var query = QueryVector(searchValue);
        var keep = options?.Filter?.Compile();
        var hits = _index.SearchDocuments(query, checked(top + skip), keep is null ? null : d => keep(Record(d, includeVector: false)));
        var threshold = options?.ScoreThreshold;
        var vectors = options?.IncludeVectors == true;
        return hits.Skip(skip)
            .Where(hit => threshold is null || hit.Score >= threshold)
            .Select(hit => new VectorSearchResult<VectorIndexRecord>(Record(hit.Document, vectors), hit.Score))
            .ToList().ToAsyncEnumerable();
    }

    /// <inheritdoc/>
    /// <remarks>Answers <see cref="VectorStoreCollectionMetadata"/>, the <see cref="VectorIndex"/>, and its embedder as <see cref="IEmbeddingGenerator"/>.</remarks>
    public override object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
            return null;
        if (serviceType == typeof(VectorStoreCollectionMetadata))
            return new VectorStoreCollectionMetadata { VectorStoreSystemName = SystemName, CollectionName = Name };
        if (serviceType.IsInstanceOfType(_index))
            return _index;
        return _index.Embedder is { } embedder && serviceType.IsInstanceOfType(embedder) ? embedder : null;
    }

    private float[] QueryVector<TInput>(TInput value) => value switch
    {
        float[] vector => vector,
        ReadOnlyMemory<float> memory => memory.ToArray(),
        Embedding<float> embedding => embedding.Vector.ToArray(),
        string text when _index.Embedder is not null => string.IsNullOrWhiteSpace(text)
            ? throw new ArgumentException("The search text is empty.", "searchValue")
            : _index.Embed(text),
        string => throw Unsupported("SearchAsync with a string", "the index has no embedder; build or load it with one, or search by vector"),
        _ => throw Unsupported($"SearchAsync with a {typeof(TInput).Name}", "search by float[], ReadOnlyMemory<float>, Embedding<float> or (with an embedder) string"),
    };

    // The records' vectors: given, or their texts embedded (in one batch) when the vector is empty and the index has an embedder.
    private float[][] Vectors(List<VectorIndexRecord> records)
    {
        var vectors = new float[records.Count][];
        var missing = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (!records[i].Vector.IsEmpty)
                vectors[i] = records[i].Vector.ToArray();
            else if (_index.Embedder is not null && records[i].Text is not null)
                missing.Add(i);
            else
                throw new ArgumentException($"Record '{records[i].Id}' has no vector" +
                    (_index.Embedder is null ? " and the index has no embedder to embed its text." : " and no text to embed."), "records");
        }
        if (missing.Count > 0)
        {
            var embedded = _index.Embedder!.Embed([.. missing.Select(i => records[i].Text)]);
            for (var j = 0; j < missing.Count; j++)
                vectors[missing[j]] = embedded[j];
        }
        return vectors;
    }

    private VectorIndexRecord Record(VectorIndex.StoredDocument document, bool includeVector)
    {
        var record = new VectorIndexRecord
        {
            Id = document.Id, Text = document.Text, Metadata = document.Metadata,
            SourceId = document.SourceId, Start = document.Start, Length = document.Length,
        };
        return includeVector ? WithVector(record) : record;
    }

    private VectorIndexRecord WithVector(VectorIndexRecord record)
    {
        record.Vector = _index.Vector(record.Id);
        return record;
    }

    private NotSupportedException Unsupported(string operation, string why) =>
        new($"{operation} is not supported by the VectorIndex collection '{Name}': {why}.");
}
