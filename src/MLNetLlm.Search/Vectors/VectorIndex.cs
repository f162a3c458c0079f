using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Search;

/// <summary>
/// A vector index for apps: build it from vectors and ids (with texts and a metadata value when you have them), search
/// by vector or, with an embedder, by text; filter on metadata; add and remove documents; save to a folder and load
/// (an HNSW graph memory-mapped). Exact search below <see cref="VectorIndexOptions.ExactBelow"/> documents, HNSW
/// (USearch) from there on, unless <see cref="VectorIndexOptions.Engine"/> says otherwise.
/// </summary>
/// <remarks>
/// Searches may run from several threads at once; adding and removing wait for them. A search for more documents
/// than the index holds (or than pass its filter) returns all of them: k is clamped, never an error. Adding checks
/// every document first (ids unique and non-blank, vectors of the index's dimension, finite, non-zero for cosine), so
/// a batch with one bad document adds nothing.
/// </remarks>
public sealed class VectorIndex : IPassageRetriever, IDisposable
{
    private readonly List<StoredDocument?> _documents = [];
    private readonly Dictionary<string, int> _slots = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();
    private IVectorSearchEngine _engine;

    private VectorIndex(int dimension, VectorIndexOptions options, TextEmbedder? embedder, EmbedderFingerprint? fingerprint, IVectorSearchEngine engine)
    {
        Dimension = dimension;
        Options = options;
        Embedder = embedder;
        Fingerprint = fingerprint;
        _engine = engine;
    }

    /// <summary>The length of every vector.</summary>
    public int Dimension { get; }

    /// <summary>The options the index was made with.</summary>
    public VectorIndexOptions Options { get; }

    /// <summary>The embedder that turns text queries into vectors, or null (then only vector queries work).</summary>
    public TextEmbedder? Embedder { get; }

    /// <summary>The fingerprint of the embedder the vectors came from (saved with the index, checked on load), or null.</summary>
    public EmbedderFingerprint? Fingerprint { get; }

    /// <summary>The engine searching now: <see cref="VectorEngine.Exact"/> or <see cref="VectorEngine.Hnsw"/>.</summary>
    public VectorEngine Engine => _engine.Kind;

    /// <summary>Whether the HNSW graph is memory-mapped from its file (until the first change).</summary>
    public bool IsMemoryMapped => _engine is HnswVectorEngine { IsMemoryMapped: true };

    /// <summary>Sets the HNSW search expansion (ef) of this index for the benchmarks' recall/speed sweep; no effect on an exact index.</summary>
    internal void SetExpansionSearch(int expansion)
    {
        if (_engine is HnswVectorEngine hnsw)
            hnsw.ExpansionSearch = expansion;
    }

    /// <summary>The native HNSW graph's search expansion, or null for an exact index (for tests).</summary>
    internal int? NativeExpansionSearch => (_engine as HnswVectorEngine)?.NativeExpansionSearch;

    /// <summary>The number of documents.</summary>
    public int Count => _slots.Count;

    /// <summary>
    /// An empty index of <paramref name="dimension"/>-long vectors, to fill with <see cref="Add(IEnumerable{VectorDocument})"/>.
    /// </summary>
    /// <param name="dimension">The vectors' length, 1 to 65,536.</param>
    /// <param name="options">Metric and engine; null for <see cref="VectorIndexOptions.Default"/>.</param>
    /// <param name="embedder">The embedder of text queries (and of the vectors you add), or null.</param>
    /// <exception cref="ArgumentException">A bad dimension or option, or an embedder of another dimension.</exception>
    public static VectorIndex Create(int dimension, VectorIndexOptions? options = null, TextEmbedder? embedder = null) =>
        Create(dimension, options, embedder, expectedCount: 0);

    /// <summary>An index over <paramref name="documents"/>.</summary>
    /// <exception cref="ArgumentException">
    /// No documents (an empty corpus), a duplicate or blank id, a vector of another length than the first, a NaN or
    /// infinite value, a zero vector under cosine, or a bad option (the message names the document).
    /// </exception>
    public static VectorIndex Build(IEnumerable<VectorDocument> documents, VectorIndexOptions? options = null, TextEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var list = documents as IReadOnlyList<VectorDocument> ?? [.. documents];
        if (list.Count == 0)
            throw new ArgumentException("The corpus is empty: an index needs at least one document (VectorIndex.Create makes an empty one to fill later).", nameof(documents));
        var dimension = list[0]?.Vector?.Length ?? throw new ArgumentException("Document 0 or its vector is null.", nameof(documents));
        var index = Create(dimension, options, embedder, list.Count);
        index.Add(list);
        return index;
    }

    /// <summary>
    /// Embeds <paramref name="texts"/> (id and text pairs) with <paramref name="embedder"/>, in batches of
    /// <paramref name="batchSize"/>, and indexes them; <paramref name="progress"/> hears how many are done.
    /// </summary>
    /// <exception cref="ArgumentException">No texts, or a duplicate or blank id.</exception>
    public static VectorIndex Build(TextEmbedder embedder, IEnumerable<(string Id, string Text)> texts, VectorIndexOptions? options = null,
        int batchSize = 64, IProgress<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var list = texts as IReadOnlyList<(string Id, string Text)> ?? [.. texts];
        var documents = new List<VectorDocument>(list.Count);
        foreach (var batch in list.Chunk(batchSize))
        {
            var vectors = embedder.Embed([.. batch.Select(t => t.Text)]);
            for (var i = 0; i < batch.Length; i++)
                documents.Add(new VectorDocument(batch[i].Id, vectors[i], batch[i].Text));
            progress?.Report(documents.Count);
        }
        return Build(documents, options, embedder);
    }

    /// <summary>Adds one document.</summary>
    /// <exception cref="ArgumentException">Its id is blank or already indexed, or its vector is unfit (the message says why).</exception>
    public void Add(VectorDocument document) => Add([document]);

    /// <summary>Adds documents; all are checked first, so on an error none is added.</summary>
    /// <exception cref="ArgumentException">A blank or duplicate id, or an unfit vector (the message names the document).</exception>
    public void Add(IEnumerable<VectorDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        Write(documents as IReadOnlyList<VectorDocument> ?? [.. documents], replace: false);
    }

    /// <summary>
    /// Adds documents, replacing those whose id is already indexed (what a vector store's upsert does); all are checked
    /// first, so on an error nothing changes.
    /// </summary>
    internal void Upsert(IReadOnlyList<VectorDocument> documents) => Write(documents, replace: true);

    private void Write(IReadOnlyList<VectorDocument> list, bool replace)
    {
        _lock.EnterWriteLock();
        try
        {
            var batchIds = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < list.Count; i++)
                Check(list[i], i, batchIds, replace);
            if (replace)
                foreach (var document in list)
                    if (_slots.Remove(document.Id, out var old))
                    {
                        _engine.Remove(old);
                        _documents[old] = null;
                    }
            var slots = new int[list.Count];
            for (var i = 0; i < list.Count; i++)
            {
                var document = list[i];
                slots[i] = _documents.Count;
                _documents.Add(new StoredDocument(document.Id, document.Text, document.Metadata, document.SourceId, document.Start, document.Length));
                _slots.Add(document.Id, slots[i]);
            }
            _engine.Add(slots, [.. list.Select(d => d.Vector)]);
            if (Options.Engine == VectorEngine.Auto && _engine.Kind == VectorEngine.Exact && Count >= Options.ExactBelow)
                MoveToHnsw();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes the document <paramref name="id"/>; false when the index does not hold it.</summary>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _lock.EnterWriteLock();
        try
        {
            if (!_slots.Remove(id, out var slot))
                return false;
            _engine.Remove(slot);
            _documents[slot] = null;
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Whether the index holds a document <paramref name="id"/>.</summary>
    public bool Contains(string id) => Read(() => _slots.ContainsKey(id));

    /// <summary>
    /// The <paramref name="k"/> documents nearest to <paramref name="query"/>, best first (all of them when the index,
    /// or the part of it <paramref name="filter"/> lets through, is smaller: k is clamped).
    /// </summary>
    /// <param name="query">A vector of <see cref="Dimension"/> finite floats.</param>
    /// <param name="k">How many, at least 1.</param>
    /// <param name="filter">Keeps a document when it returns true for the document's metadata value; null keeps all.</param>
    /// <exception cref="ArgumentException">The query has another length than the index's vectors, or a NaN or infinite value.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public IReadOnlyList<VectorHit> Search(float[] query, int k, Func<string?, bool>? filter = null) =>
        [.. SearchDocuments(query, k, filter is null ? null : d => filter(d.Metadata))
            .Select(hit => new VectorHit(hit.Document.Id, hit.Score, hit.Document.Text, hit.Document.Metadata))];

    /// <summary>As <see cref="Search(float[], int, Func{string?, bool}?)"/>, filtering on the whole stored document; the hits with their documents.</summary>
    internal IReadOnlyList<(StoredDocument Document, float Score)> SearchDocuments(float[] query, int k, Func<StoredDocument, bool>? filter)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        CheckVector(query, "The query", nameof(query));
        return Read<IReadOnlyList<(StoredDocument, float)>>(() =>
        {
            var count = Math.Min(k, Count);
            if (count == 0)
                return [];
            Func<int, bool>? accept = filter is null ? null : slot => _documents[slot] is { } d && filter(d);
            return [.. _engine.Search(query, count, accept).Select(hit => (_documents[hit.Slot]!, hit.Score))];
        });
    }

    /// <summary>The stored document <paramref name="id"/>, or null.</summary>
    internal StoredDocument? Document(string id) => Read(() => _slots.TryGetValue(id, out var slot) ? _documents[slot] : null);

    /// <summary>Every stored document, in the order they were added.</summary>
    internal IReadOnlyList<StoredDocument> Documents() => Read<IReadOnlyList<StoredDocument>>(() => [.. _documents.OfType<StoredDocument>()]);

    /// <summary>The <paramref name="k"/> documents nearest to <paramref name="query"/>'s embedding, as <see cref="Search(float[], int, Func{string?, bool}?)"/>.</summary>
    /// <exception cref="InvalidOperationException">The index has no embedder.</exception>
    /// <exception cref="ArgumentException">The query is null or blank.</exception>
    public IReadOnlyList<VectorHit> Search(string query, int k, Func<string?, bool>? filter = null)
    {
        if (string.IsNullOrWhiteSpace(query))
            throw new ArgumentException("The query text is empty.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        return Search(Embed(query), k, filter);
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int count, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var hits = Search(query, count);
        IReadOnlyList<RetrievedPassage> passages = [.. hits.Select(h => Passage(h.Id, h.Score))];
        return Task.FromResult(passages);
    }

    /// <summary>The passage of document <paramref name="id"/> with <paramref name="score"/>, citing its source span.</summary>
    /// <exception cref="KeyNotFoundException">No such document.</exception>
    public RetrievedPassage Passage(string id, double score) => Read(() =>
    {
        var d = _documents[SlotOf(id)]!;
        var text = d.Text ?? "";
        return new RetrievedPassage(d.Id, text, score, d.SourceId ?? d.Id, d.Start, d.Length < 0 ? text.Length : d.Length);
    });

    /// <summary>The stored vector of document <paramref name="id"/> (normalised when the metric is cosine and the engine exact).</summary>
    /// <exception cref="KeyNotFoundException">No such document.</exception>
    public float[] Vector(string id) => Read(() => _engine.Vector(SlotOf(id)));

    /// <summary>Embeds a text query with the index's embedder.</summary>
    /// <exception cref="InvalidOperationException">The index has no embedder.</exception>
    public float[] Embed(string query) => (Embedder ?? throw new InvalidOperationException(
        "This index has no embedder, so it searches by vector only: build or load it with the embedder its vectors came from to search by text.")).Embed(query);

    /// <summary>
    /// Saves the index into the folder <paramref name="directory"/> (created; an existing index there is replaced
    /// only once the new one is completely written). Documents, texts and metadata, vectors or the HNSW graph, and
    /// the embedder's fingerprint; not the embedder itself.
    /// </summary>
    public void Save(string directory)
    {
        _lock.EnterReadLock();
        try
        {
            var slots = Enumerable.Range(0, _documents.Count).Where(s => _documents[s] is not null).ToArray();
            VectorIndexFile.Save(directory, this, _engine, slots, [.. slots.Select(s => _documents[s]!)]);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// Loads an index saved by <see cref="Save"/>, without re-embedding. An HNSW graph is memory-mapped when
    /// <paramref name="memoryMap"/> (it loads into memory on the first change).
    /// </summary>
    /// <param name="directory">The folder <see cref="Save"/> wrote.</param>
    /// <param name="embedder">The embedder for text queries: it must be the one the index was built with (checked against the saved fingerprint). Null for vector queries only.</param>
    /// <param name="memoryMap">Memory-map the HNSW graph instead of reading it. Default true.</param>
    /// <exception cref="FileNotFoundException">The folder or one of its files is missing.</exception>
    /// <exception cref="InvalidDataException">A file is truncated, damaged or of another format, or the embedder is not the index's.</exception>
    public static VectorIndex Load(string directory, TextEmbedder? embedder = null, bool memoryMap = true) =>
        VectorIndexFile.Load(directory, embedder, memoryMap);

    /// <summary>Releases the HNSW graph.</summary>
    public void Dispose()
    {
        _engine.Dispose();
        _lock.Dispose();
    }

    internal static VectorIndex Create(int dimension, VectorIndexOptions? options, TextEmbedder? embedder, int expectedCount)
    {
        options ??= VectorIndexOptions.Default;
        options.Validate();
        ArgumentOutOfRangeException.ThrowIfLessThan(dimension, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(dimension, 65_536);
        if (embedder is not null && embedder.Dimension != dimension)
            throw new ArgumentException($"The embedder {embedder.Name} gives {embedder.Dimension} dimensions, the vectors have {dimension}.", nameof(embedder));
        var hnsw = options.Engine == VectorEngine.Hnsw || (options.Engine == VectorEngine.Auto && expectedCount >= options.ExactBelow);
        IVectorSearchEngine engine = hnsw ? new HnswVectorEngine(dimension, options) : new ExactVectorEngine(dimension, options.Metric);
        return new VectorIndex(dimension, options, embedder, embedder is null ? null : EmbedderFingerprint.Of(embedder), engine);
    }

    internal static VectorIndex Restore(int dimension, VectorIndexOptions options, TextEmbedder? embedder, EmbedderFingerprint? fingerprint,
        IVectorSearchEngine engine, IReadOnlyList<int> slots, IReadOnlyList<StoredDocument> documents)
    {
        var index = new VectorIndex(dimension, options, embedder, fingerprint, engine);
        var size = slots.Count == 0 ? 0 : slots.Max() + 1;
        index._documents.AddRange(Enumerable.Repeat<StoredDocument?>(null, size));
        for (var i = 0; i < slots.Count; i++)
        {
            index._documents[slots[i]] = documents[i];
            if (!index._slots.TryAdd(documents[i].Id, slots[i]))
                throw new InvalidDataException($"The saved index holds the id '{documents[i].Id}' twice.");
        }
        return index;
    }

    private void Check(VectorDocument? document, int position, HashSet<string> batchIds, bool replace)
    {
        if (document is null)
            throw new ArgumentException($"Document {position} is null.");
        if (string.IsNullOrWhiteSpace(document.Id))
            throw new ArgumentException($"Document {position} has a blank id.");
        if ((!replace && _slots.ContainsKey(document.Id)) || !batchIds.Add(document.Id))
            throw new ArgumentException($"The id '{document.Id}' (document {position}) is already taken: ids must be unique; remove the old document first to replace it.");
        if (document.Vector is null)
            throw new ArgumentException($"Document '{document.Id}' has no vector.");
        CheckVector(document.Vector, $"The vector of document '{document.Id}'", "documents");
    }

    private void CheckVector(float[] vector, string what, string parameter)
    {
        if (vector.Length != Dimension)
            throw new ArgumentException($"{what} has {vector.Length} dimensions; this index holds vectors of {Dimension}.", parameter);
        foreach (var value in vector)
            if (!float.IsFinite(value))
                throw new ArgumentException($"{what} holds {value}: vectors must be finite.", parameter);
        if (Options.Metric == VectorMetric.Cosine && System.Numerics.Tensors.TensorPrimitives.Norm(vector) == 0)
            throw new ArgumentException($"{what} is all zeros: its cosine with anything is undefined.", parameter);
    }

    private void MoveToHnsw()
    {
        var slots = Enumerable.Range(0, _documents.Count).Where(s => _documents[s] is not null).ToArray();
        var hnsw = new HnswVectorEngine(Dimension, Options);
        hnsw.Add(slots, [.. slots.Select(_engine.Vector)]);
        _engine.Dispose();
        _engine = hnsw;
    }

    // Runs read under the read lock.
    private T Read<T>(Func<T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read();
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    // Called under the read lock.
    private int SlotOf(string id) =>
        _slots.TryGetValue(id, out var slot) ? slot : throw new KeyNotFoundException($"The index holds no document '{id}'.");

    internal sealed record StoredDocument(string Id, string? Text, string? Metadata, string? SourceId, int Start, int Length);
}
