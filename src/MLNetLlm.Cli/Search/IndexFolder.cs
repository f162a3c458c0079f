using System.Text.Json;
using Microsoft.ML;
using MLNetLlm.Cli.Commands;
using MLNetLlm.Embeddings;
using MLNetLlm.Retrieval;
using MLNetLlm.Search;

namespace MLNetLlm.Cli.Search;

/// <summary>
/// The folder <c>mlnetllm index</c> writes: the vector index's own files (<see cref="VectorIndex.Save"/>),
/// <c>passages.jsonl</c> (every passage with its source and span, from which the BM25 index is rebuilt in memory on
/// load: Lucene's index is not kept on disk) and <c>mlnetllm-index.json</c> (which embedder made the vectors).
/// </summary>
internal sealed class IndexFolder : IDisposable
{
    public const string ManifestFile = "mlnetllm-index.json";
    public const string PassagesFile = "passages.jsonl";

    private readonly IDisposable? _embedderOwner;

    private IndexFolder(IndexManifest manifest, VectorIndex dense, Bm25Index? keyword, IDisposable? embedderOwner)
    {
        Manifest = manifest;
        Dense = dense;
        Keyword = keyword;
        _embedderOwner = embedderOwner;
    }

    public IndexManifest Manifest { get; }

    public VectorIndex Dense { get; }

    /// <summary>The BM25 index; null when the folder was built with <c>--no-keyword</c>.</summary>
    public Bm25Index? Keyword { get; }

    /// <summary>The retriever of <paramref name="mode"/>: dense, keyword or hybrid (reciprocal-rank fusion of both).</summary>
    public IPassageRetriever Retriever(string mode) => mode switch
    {
        "dense" => Dense,
        "keyword" => Keyword ?? throw new UsageException("This index was built with --no-keyword: search it with --mode dense."),
        "hybrid" => Keyword is null ? throw new UsageException("This index was built with --no-keyword: search it with --mode dense.") : new HybridRetriever([Keyword, Dense]),
        _ => throw new UsageException($"Unknown --mode '{mode}': give dense, keyword or hybrid."),
    };

    /// <summary>Writes the passages file: one JSON object a line.</summary>
    public static void WritePassages(string path, IEnumerable<TextChunk> passages)
    {
        using var writer = new StreamWriter(path);
        foreach (var p in passages)
            writer.WriteLine(JsonSerializer.Serialize(new StoredPassage(p.Id, p.SourceId, p.Text, p.Start, p.Length)));
    }

    /// <summary>Loads the index folder <paramref name="folder"/> with the embedder its manifest names.</summary>
    /// <exception cref="UsageException">The folder is not an index this tool wrote, or a file in it is damaged.</exception>
    public static IndexFolder Load(MLContext ml, string folder)
    {
        folder = Path.GetFullPath(folder);
        var manifestPath = Path.Combine(folder, ManifestFile);
        if (!File.Exists(manifestPath))
            throw new UsageException($"{folder} is not an index folder: it has no {ManifestFile} (build one with mlnetllm index).");
        IndexManifest manifest;
        try
        {
            manifest = JsonSerializer.Deserialize<IndexManifest>(File.ReadAllText(manifestPath))
                ?? throw new InvalidDataException("it is null");
        }
        catch (JsonException e)
        {
            throw new UsageException($"{manifestPath} is damaged: {e.Message}");
        }
        var embedder = EmbedderOption.Load(ml, manifest.Model, out var owner);
        try
        {
            var dense = VectorIndex.Load(folder, embedder);
            Bm25Index? keyword = null;
            if (manifest.Keyword)
            {
                var passages = File.ReadLines(Path.Combine(folder, PassagesFile))
                    .Select((line, i) => JsonSerializer.Deserialize<StoredPassage>(line) ?? throw new InvalidDataException($"{PassagesFile} line {i + 1} is null."))
                    .Select(p => new TextChunk(p.Id, p.SourceId, p.Text, p.Start, p.Length));
                keyword = Bm25Index.Build(passages);
            }
            return new IndexFolder(manifest, dense, keyword, owner);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException or FileNotFoundException)
        {
            owner?.Dispose();
            throw new UsageException($"The index folder {folder} is damaged or incomplete: {e.Message}");
        }
        catch
        {
            owner?.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        Keyword?.Dispose();
        Dense.Dispose();
        _embedderOwner?.Dispose();
    }

    private sealed record StoredPassage(string Id, string SourceId, string Text, int Start, int Length);
}

/// <summary>What <c>mlnetllm-index.json</c> records: the embedder (to load the index with) and how passages were cut.</summary>
/// <param name="Model">minilm, arctic-xs or a GPT folder's full path.</param>
/// <param name="Keyword">Whether passages.jsonl is there for BM25.</param>
internal sealed record IndexManifest(string Model, bool Keyword, string Source, int Documents, int Passages, string Chunking, int MaxTokens, int Overlap);
