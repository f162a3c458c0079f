using Lucene.Net.Analysis;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;
using MLNetLlm.Retrieval;
using LuceneDirectory = Lucene.Net.Store.Directory;

namespace MLNetLlm.Search;

/// <summary>
/// Keyword search with BM25, by Lucene.Net (its <c>BM25Similarity</c> and analyzers): passages are analyzed into terms,
/// and a query's terms are matched as one OR query scored by BM25. In memory, or in an on-disk folder
/// (<see cref="Bm25Options.Directory"/>). Passages can be added and removed.
/// </summary>
/// <remarks>
/// Searches may run from several threads; changes wait for them. A query without any indexable term (only stop
/// words or punctuation) finds nothing. k larger than the matching passages returns all of them (clamped).
/// </remarks>
public sealed class Bm25Index : IPassageRetriever, IDisposable
{
    private const LuceneVersion Version = LuceneVersion.LUCENE_48;
    private const string IdField = "id", TextField = "text", SourceField = "source", StartField = "start", LengthField = "length";

    private readonly Analyzer _analyzer;
    private readonly LuceneDirectory _directory;
    private readonly IndexWriter _writer;
    private readonly BM25Similarity _similarity;
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly ReaderWriterLockSlim _lock = new();
    private DirectoryReader _reader;

    private Bm25Index(Bm25Options options)
    {
        _analyzer = options.Analyzer == KeywordAnalyzer.English ? new EnglishAnalyzer(Version) : new StandardAnalyzer(Version);
        _directory = options.Directory is null ? new RAMDirectory() : FSDirectory.Open(options.Directory);
        _similarity = new BM25Similarity(options.K1, options.B);
        _writer = new IndexWriter(_directory, new IndexWriterConfig(Version, _analyzer) { Similarity = _similarity, OpenMode = OpenMode.CREATE });
        _reader = DirectoryReader.Open(_writer, applyAllDeletes: true);
        Options = options;
    }

    /// <summary>The options the index was made with.</summary>
    public Bm25Options Options { get; }

    /// <summary>The number of passages.</summary>
    public int Count => _ids.Count;

    /// <summary>An index over <paramref name="passages"/> (chunks keep their source and span for citations).</summary>
    /// <exception cref="ArgumentException">No passages (an empty corpus), a blank or duplicate id, or an invalid option.</exception>
    public static Bm25Index Build(IEnumerable<TextChunk> passages, Bm25Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var list = passages as IReadOnlyList<TextChunk> ?? [.. passages];
        if (list.Count == 0)
            throw new ArgumentException("The corpus is empty: a keyword index needs at least one passage.", nameof(passages));
        options ??= new Bm25Options();
        options.Validate();
        var index = new Bm25Index(options);
        try
        {
            index.Add(list);
        }
        catch
        {
            index.Dispose();
            throw;
        }
        return index;
    }

    /// <summary>An index over whole documents given as id and text pairs.</summary>
    public static Bm25Index Build(IEnumerable<(string Id, string Text)> documents, Bm25Options? options = null)
    {
        ArgumentNullException.ThrowIfNull(documents);
        return Build(documents.Select(d => new TextChunk(d.Id, d.Id, d.Text ?? "", 0, d.Text?.Length ?? 0)), options);
    }

    /// <summary>Adds passages; all are checked first, so on an error none is added.</summary>
    /// <exception cref="ArgumentException">A blank or duplicate id (the message names it).</exception>
    public void Add(IEnumerable<TextChunk> passages)
    {
        ArgumentNullException.ThrowIfNull(passages);
        var list = passages as IReadOnlyList<TextChunk> ?? [.. passages];
        _lock.EnterWriteLock();
        try
        {
            var batch = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < list.Count; i++)
            {
                var id = list[i]?.Id;
                if (string.IsNullOrWhiteSpace(id))
                    throw new ArgumentException($"Passage {i} has a blank id.", nameof(passages));
                if (_ids.Contains(id) || !batch.Add(id))
                    throw new ArgumentException($"The id '{id}' (passage {i}) is already taken: ids must be unique.", nameof(passages));
            }
            foreach (var p in list)
                _writer.AddDocument(new Document
                {
                    new StringField(IdField, p.Id, Field.Store.YES),
                    new Lucene.Net.Documents.TextField(TextField, p.Text ?? "", Field.Store.YES),
                    new StoredField(SourceField, p.SourceId ?? p.Id),
                    new StoredField(StartField, p.Start),
                    new StoredField(LengthField, p.Length),
                });
            _ids.UnionWith(batch);
            Refresh();
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Removes passage <paramref name="id"/>; false when the index does not hold it.</summary>
    public bool Remove(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        _lock.EnterWriteLock();
        try
        {
            if (!_ids.Remove(id))
                return false;
            _writer.DeleteDocuments(new Term(IdField, id));
            Refresh();
            return true;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>The <paramref name="k"/> passages that best match <paramref name="query"/>'s terms by BM25, best first.</summary>
    /// <exception cref="ArgumentException">The query is blank.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is below 1.</exception>
    public IReadOnlyList<RetrievedPassage> Search(string query, int k)
    {
        if (string.IsNullOrWhiteSpace(query))
            throw new ArgumentException("The query text is empty.", nameof(query));
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        var terms = Terms(query);
        if (terms.Count == 0)
            return [];
        var boolean = new BooleanQuery();
        foreach (var term in terms.Take(BooleanQuery.MaxClauseCount))
            boolean.Add(new TermQuery(new Term(TextField, term)), Occur.SHOULD);
        _lock.EnterReadLock();
        try
        {
            var searcher = new IndexSearcher(_reader) { Similarity = _similarity };
            var top = searcher.Search(boolean, Math.Min(k, Math.Max(1, _ids.Count)));
            return [.. top.ScoreDocs.Select(hit =>
            {
                var d = searcher.Doc(hit.Doc);
                return new RetrievedPassage(d.Get(IdField), d.Get(TextField), hit.Score, d.Get(SourceField),
                    d.GetField(StartField).GetInt32Value() ?? 0, d.GetField(LengthField).GetInt32Value() ?? 0);
            })];
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <inheritdoc/>
    public Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int count, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Search(query, count));
    }

    /// <summary>Closes the Lucene index (an on-disk index stays in its folder).</summary>
    public void Dispose()
    {
        _reader.Dispose();
        _writer.Dispose();
        _directory.Dispose();
        _analyzer.Dispose();
        _lock.Dispose();
    }

    // The query's distinct terms as the index analyzed its passages.
    private List<string> Terms(string query)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var stream = _analyzer.GetTokenStream(TextField, new StringReader(query));
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (stream.IncrementToken())
        {
            var text = term.ToString();
            if (seen.Add(text))
                terms.Add(text);
        }
        stream.End();
        return terms;
    }

    private void Refresh()
    {
        _writer.Commit();
        var newer = DirectoryReader.OpenIfChanged(_reader, _writer, applyAllDeletes: true);
        if (newer is null)
            return;
        _reader.Dispose();
        _reader = newer;
    }
}
