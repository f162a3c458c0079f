using MLNetLlm.Embeddings;

namespace MLNetLlm.Search;

/// <summary>
/// What <c>mlContext.Transforms.Llm.IndexVectors</c> indexes (the corpus columns read by <c>Fit</c>) and how the fitted
/// transformer searches (the query column read by <c>Transform</c>, the neighbour columns it adds).
/// </summary>
public sealed record VectorSearchOptions
{
    /// <summary>The corpus's id column (text, unique, non-blank). Default "Id".</summary>
    public string IdColumnName { get; init; } = "Id";

    /// <summary>The corpus's embedding column: a vector of Single (known size, or variable with every row of one length). Default "Embedding".</summary>
    public string EmbeddingColumnName { get; init; } = "Embedding";

    /// <summary>The corpus's text column, returned in <see cref="TextsColumnName"/>; null to keep no texts. Default "Text".</summary>
    public string? TextColumnName { get; init; } = "Text";

    /// <summary>A corpus column of text the plain API's <see cref="VectorIndex.Search(float[], int, Func{string?, bool}?)"/> may filter on; null for none. Default null.</summary>
    public string? MetadataColumnName { get; init; }

    /// <summary>
    /// The query column read by <c>Transform</c>: text (embedded by <see cref="Embedder"/>) or a vector of Single of the
    /// corpus's dimension. Default "Query".
    /// </summary>
    public string QueryColumnName { get; init; } = "Query";

    /// <summary>The added column of neighbour ids, best first: a variable-length vector of text. Default "NeighbourIds".</summary>
    public string IdsColumnName { get; init; } = "NeighbourIds";

    /// <summary>The added column of neighbour scores, best first: a variable-length vector of Single. Default "NeighbourScores".</summary>
    public string ScoresColumnName { get; init; } = "NeighbourScores";

    /// <summary>The added column of neighbour texts, best first (only when <see cref="TextColumnName"/> is set). Default "NeighbourTexts".</summary>
    public string TextsColumnName { get; init; } = "NeighbourTexts";

    /// <summary>Neighbours per query, at least 1; clamped to the corpus size (a corpus of 5 gives 5). Default 10.</summary>
    public int K { get; init; } = 10;

    /// <summary>The embedder of text queries: the one that made the embedding column. Null allows vector queries only. Default null.</summary>
    public TextEmbedder? Embedder { get; init; }

    /// <summary>Queries embedded and searched per batch. Default 32.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Metric and engine of the index. Default <see cref="VectorIndexOptions.Default"/>.</summary>
    public VectorIndexOptions Index { get; init; } = VectorIndexOptions.Default;

    internal void Validate()
    {
        Kit.ColumnChecks.RequireName(IdColumnName, nameof(IdColumnName));
        Kit.ColumnChecks.RequireName(EmbeddingColumnName, nameof(EmbeddingColumnName));
        Kit.ColumnChecks.RequireName(QueryColumnName, nameof(QueryColumnName));
        Kit.ColumnChecks.RequireName(IdsColumnName, nameof(IdsColumnName));
        Kit.ColumnChecks.RequireName(ScoresColumnName, nameof(ScoresColumnName));
        Kit.ColumnChecks.RequireName(TextsColumnName, nameof(TextsColumnName));
        if (TextColumnName is not null)
            Kit.ColumnChecks.RequireName(TextColumnName, nameof(TextColumnName));
        if (MetadataColumnName is not null)
            Kit.ColumnChecks.RequireName(MetadataColumnName, nameof(MetadataColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(K, 1, nameof(K));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(K, 10_000, nameof(K));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchSize, 65_536, nameof(BatchSize));
        ArgumentNullException.ThrowIfNull(Index, nameof(Index));
        Index.Validate();
    }
}
