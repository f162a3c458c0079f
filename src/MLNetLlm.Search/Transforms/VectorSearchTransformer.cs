using System.Text.Json;
using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using Microsoft.ML;
using Microsoft.ML.Runtime;

[assembly: LlmLoader(typeof(MLNetLlm.Search.VectorSearchTransformer.Loader))]

namespace MLNetLlm.Search;

/// <summary>
/// Adds, for each row's query (text or vector), its nearest documents in a <see cref="VectorIndex"/>: ids, scores and
/// texts as variable-length vectors, best first. Lazy and batched: a batch of text queries is embedded in one call.
/// Made by <c>mlContext.Transforms.Llm.IndexVectors(...).Fit(corpus)</c>. Save it with <c>mlContext.Model.Llm.Save</c>:
/// the index (vectors or HNSW graph) and the query embedder are stored, so loading does not re-embed the corpus.
/// </summary>
public sealed class VectorSearchTransformer : ColumnMappingTransformer, ILlmPersistable, IDisposable
{
    internal const string Kind = "MLNetLlm.Search.VectorSearch";
    private const string SettingsFile = "vector-search.json";
    private const string IndexFolder = "index";
    private const string EmbedderFolder = "embedder";
    // The core's EmbedText stage carries (and knows how to save and find) any embedder; this stage saves its embedder as one.
    private const string EmbedTextKind = "MLNetLlm.EmbedText";

    private readonly VectorSearchSettings _settings;

    internal VectorSearchTransformer(VectorIndex index, VectorSearchSettings settings)
    {
        Index = index;
        _settings = settings;
    }

    /// <summary>The index searched: also usable directly (<see cref="VectorIndex.Search(string, int, Func{string?, bool}?)"/>, add, remove).</summary>
    public VectorIndex Index { get; }

    /// <summary>The query column read.</summary>
    public string QueryColumnName => _settings.QueryColumnName;

    /// <summary>Neighbours per query (clamped to the index's size).</summary>
    public int K => _settings.K;

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));
        Index.Save(Path.Combine(directory, IndexFolder));
        if (Index.Embedder is { } embedder)
            SaveEmbedder(embedder, Directory.CreateDirectory(Path.Combine(directory, EmbedderFolder)).FullName);
    }

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) => new VectorSearchMapper(inputSchema, Index, _settings);

    /// <summary>Releases the index.</summary>
    public void Dispose() => Index.Dispose();

    private static void SaveEmbedder(TextEmbedder embedder, string directory)
    {
        var ml = new MLContext(seed: 1);
        var empty = ml.Data.LoadFromEnumerable(Array.Empty<QueryRow>());
        var stage = ml.Transforms.Llm.EmbedText("Embedding", nameof(QueryRow.Text), embedder).Fit(empty);
        ((ILlmPersistable)stage).SaveTo(directory);
    }

    private sealed class QueryRow
    {
        public string Text { get; set; } = "";
    }

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => VectorSearchTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<VectorSearchSettings>(Path.Combine(directory, SettingsFile));
            try
            {
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{SettingsFile} holds invalid settings: {e.Message}", e);
            }
            var embedderDirectory = Path.Combine(directory, EmbedderFolder);
            TextEmbedder? embedder = null;
            if (Directory.Exists(embedderDirectory))
            {
                var stage = LlmLoaders.Find<ILlmTransformerLoader>(EmbedTextKind, typeof(TextEmbedder).Assembly.GetName().Name, "saved transformers")
                    .Load(environment, embedderDirectory);
                embedder = (stage as EmbedTextTransformer ?? throw new InvalidDataException("The saved query embedder is not an EmbedText stage.")).Embedder;
            }
            return new VectorSearchTransformer(VectorIndex.Load(Path.Combine(directory, IndexFolder), embedder, memoryMap: false), settings);
        }
    }
}
