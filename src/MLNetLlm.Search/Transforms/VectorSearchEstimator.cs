using MLNetLlm.Kit;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetLlm.Search;

/// <summary>
/// Builds a <see cref="VectorIndex"/> from a corpus <see cref="IDataView"/> (id, embedding, optional text and metadata
/// columns) in <c>Fit</c>, and returns a <see cref="VectorSearchTransformer"/> that adds each query's nearest
/// documents as columns. Made by <c>mlContext.Transforms.Llm.IndexVectors</c>.
/// </summary>
/// <remarks>
/// <para>Input of <c>Fit</c>: the corpus (at least one row; ids unique and non-blank; embeddings finite, of one length).
/// Input of <c>Transform</c>: the query column, text (embedded by <see cref="VectorSearchOptions.Embedder"/>) or a
/// vector of Single. Output: variable-length vectors of neighbour ids, scores and (with a text column) texts, best
/// first, at most <see cref="VectorSearchOptions.K"/> long. Not exportable to ONNX. Saves with <c>mlContext.Model.Llm.Save</c>
/// (give it the schema of the query data).</para>
/// <para>Fit and Transform usually see different data (the corpus, the queries). <see cref="GetOutputSchema"/> follows
/// ML.NET's contract for a pipeline where the same data flows through both: it checks every column either needs.</para>
/// </remarks>
public sealed class VectorSearchEstimator : IEstimator<VectorSearchTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly VectorSearchOptions _options;

    internal VectorSearchEstimator(IHostEnvironment environment, VectorSearchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>Reads the corpus and builds the index.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type (the message names it).</exception>
    /// <exception cref="ArgumentException">An empty corpus, a duplicate or blank id, an unfit embedding (the message names the row).</exception>
    public VectorSearchTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var schema = input.Schema;
        var id = SearchColumns.Require(schema, _options.IdColumnName, t => t is TextDataViewType, "text");
        var embedding = SearchColumns.Require(schema, _options.EmbeddingColumnName, SearchColumns.IsFloatVector, "a vector of Single");
        DataViewSchema.Column? text = _options.TextColumnName is null ? null : SearchColumns.Require(schema, _options.TextColumnName, t => t is TextDataViewType, "text");
        DataViewSchema.Column? metadata = _options.MetadataColumnName is null ? null : SearchColumns.Require(schema, _options.MetadataColumnName, t => t is TextDataViewType, "text");
        if (schema.GetColumnOrNull(_options.QueryColumnName) is { } query)
            SearchColumns.RequireQuery(query.Type, query.Name, _options.Embedder is not null, _options.Embedder?.Dimension ?? (embedding.Type as VectorDataViewType)!.Size);

        var documents = ReadCorpus(input, id, embedding, text, metadata);
        if (documents.Count == 0)
            throw new ArgumentException($"{SearchColumns.Component}: the corpus is empty: the index needs at least one row.", nameof(input));
        var dimension = documents[0].Vector.Length;
        if (_options.Embedder is { } embedder && embedder.Dimension != dimension)
            throw new ArgumentException($"{SearchColumns.Component}: column '{embedding.Name}' holds vectors of {dimension} Single, but the embedder {embedder.Name} makes {embedder.Dimension}.", nameof(input));
        var index = VectorIndex.Build(documents, _options.Index, _options.Embedder);
        _environment.LogInfo(SearchColumns.Component, $"Indexed {index.Count} documents of {dimension} dimensions ({index.Engine}, {_options.Index.Metric}).");
        return new VectorSearchTransformer(index, VectorSearchSettings.From(_options, hasTexts: text is not null));
    }

    /// <summary>The output schema: the input plus the neighbour columns, after checking the corpus and query columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing or of the wrong type (the message names it).</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        SearchColumns.Require(inputSchema, _options.IdColumnName, SearchColumns.IsText, "text");
        SearchColumns.Require(inputSchema, _options.EmbeddingColumnName, SearchColumns.IsFloatVector, "a vector of Single");
        if (_options.TextColumnName is not null)
            SearchColumns.Require(inputSchema, _options.TextColumnName, SearchColumns.IsText, "text");
        if (_options.MetadataColumnName is not null)
            SearchColumns.Require(inputSchema, _options.MetadataColumnName, SearchColumns.IsText, "text");
        SearchColumns.RequireQuery(inputSchema, _options.QueryColumnName, _options.Embedder is not null);
        return SchemaShapes.WithAdded(inputSchema, VectorSearchSettings.From(_options, _options.TextColumnName is not null).AddedColumns());
    }

    private static List<VectorDocument> ReadCorpus(IDataView input, DataViewSchema.Column id, DataViewSchema.Column embedding,
        DataViewSchema.Column? text, DataViewSchema.Column? metadata)
    {
        var documents = new List<VectorDocument>();
        var columns = new[] { id, embedding, text, metadata }.OfType<DataViewSchema.Column>();
        using var cursor = input.GetRowCursor(columns);
        var getId = cursor.GetGetter<ReadOnlyMemory<char>>(id);
        var getEmbedding = cursor.GetGetter<VBuffer<float>>(embedding);
        var getText = text is null ? null : cursor.GetGetter<ReadOnlyMemory<char>>(text.Value);
        var getMetadata = metadata is null ? null : cursor.GetGetter<ReadOnlyMemory<char>>(metadata.Value);
        ReadOnlyMemory<char> idValue = default, textValue = default, metadataValue = default;
        VBuffer<float> vector = default;
        while (cursor.MoveNext())
        {
            getId(ref idValue);
            getEmbedding(ref vector);
            getText?.Invoke(ref textValue);
            getMetadata?.Invoke(ref metadataValue);
            var dense = new float[vector.Length];
            vector.CopyTo(dense);
            if (documents.Count > 0 && dense.Length != documents[0].Vector.Length)
                throw new ArgumentException($"{SearchColumns.Component}: row {cursor.Position} of column '{embedding.Name}' has {dense.Length} values, the first row {documents[0].Vector.Length}.");
            documents.Add(new VectorDocument(idValue.ToString(), dense, getText is null ? null : textValue.ToString(),
                getMetadata is null ? null : metadataValue.ToString()));
        }
        return documents;
    }
}
