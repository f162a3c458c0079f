using System.Linq.Expressions;
using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace MLNetLlm.Search.Tests;

/// <summary>
/// A user's vector store as the tests need one: records in a dictionary, cosine by brute force, and an embedding
/// generator of its own for text searches when given one (as connectors configured with one do).
/// </summary>
internal sealed class InMemoryVectorCollection<TKey, TRecord>(string name, Func<TRecord, TKey> key, Func<TRecord, ReadOnlyMemory<float>> vector,
    IEmbeddingGenerator<string, Embedding<float>>? embedder = null) : VectorStoreCollection<TKey, TRecord>
    where TKey : notnull
    where TRecord : class
{
    private readonly Dictionary<TKey, TRecord> _records = [];

    public int Searches { get; private set; }

    public override string Name => name;

    public override Task<bool> CollectionExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    public override Task EnsureCollectionExistsAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public override Task EnsureCollectionDeletedAsync(CancellationToken cancellationToken = default)
    {
        _records.Clear();
        return Task.CompletedTask;
    }

    public override Task<TRecord?> GetAsync(TKey key, RecordRetrievalOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.GetValueOrDefault(key));

    public override IAsyncEnumerable<TRecord> GetAsync(Expression<Func<TRecord, bool>> filter, int top, FilteredRecordRetrievalOptions<TRecord>? options = null,
        CancellationToken cancellationToken = default) =>
        _records.Values.Where(filter.Compile()).Skip(options?.Skip ?? 0).Take(top).ToAsyncEnumerable();

    public override Task DeleteAsync(TKey key, CancellationToken cancellationToken = default)
    {
        _records.Remove(key);
        return Task.CompletedTask;
    }

    public override Task UpsertAsync(TRecord record, CancellationToken cancellationToken = default)
    {
        _records[key(record)] = record;
        return Task.CompletedTask;
    }

    public override Task UpsertAsync(IEnumerable<TRecord> records, CancellationToken cancellationToken = default)
    {
        foreach (var record in records)
            _records[key(record)] = record;
        return Task.CompletedTask;
    }

    public override async IAsyncEnumerable<VectorSearchResult<TRecord>> SearchAsync<TInput>(TInput searchValue, int top, VectorSearchOptions<TRecord>? options = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Searches++;
        var query = searchValue switch
        {
            ReadOnlyMemory<float> memory => memory,
            string text when embedder is not null => (await embedder.GenerateAsync([text], cancellationToken: cancellationToken))[0].Vector,
            _ => throw new NotSupportedException($"This store does not search by {typeof(TInput).Name}."),
        };
        var keep = options?.Filter?.Compile() ?? (_ => true);
        var ranked = _records.Values.Where(keep)
            .Select(r => (Record: r, Score: (double)TensorPrimitives.CosineSimilarity(vector(r).Span, query.Span)))
            .OrderByDescending(x => x.Score).Skip(options?.Skip ?? 0).Take(top);
        foreach (var (record, score) in ranked)
            yield return new VectorSearchResult<TRecord>(record, score);
    }

    public override object? GetService(Type serviceType, object? serviceKey = null) => null;
}
