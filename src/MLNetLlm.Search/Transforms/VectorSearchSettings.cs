using MLNetLlm.Kit;
using Microsoft.ML.Data;

namespace MLNetLlm.Search;

/// <summary>What a fitted vector search keeps of its options (saved as JSON with the stage).</summary>
internal sealed record VectorSearchSettings
{
    public required string QueryColumnName { get; init; }
    public required string IdsColumnName { get; init; }
    public required string ScoresColumnName { get; init; }
    public string? TextsColumnName { get; init; }
    public required int K { get; init; }
    public required int BatchSize { get; init; }

    public static VectorSearchSettings From(VectorSearchOptions options, bool hasTexts) => new()
    {
        QueryColumnName = options.QueryColumnName,
        IdsColumnName = options.IdsColumnName,
        ScoresColumnName = options.ScoresColumnName,
        TextsColumnName = hasTexts ? options.TextsColumnName : null,
        K = options.K,
        BatchSize = options.BatchSize,
    };

    public void Validate()
    {
        ColumnChecks.RequireName(QueryColumnName, nameof(QueryColumnName));
        ColumnChecks.RequireName(IdsColumnName, nameof(IdsColumnName));
        ColumnChecks.RequireName(ScoresColumnName, nameof(ScoresColumnName));
        ArgumentOutOfRangeException.ThrowIfLessThan(K, 1, nameof(K));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(K, 10_000, nameof(K));
        ArgumentOutOfRangeException.ThrowIfLessThan(BatchSize, 1, nameof(BatchSize));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(BatchSize, 65_536, nameof(BatchSize));
    }

    public AddedColumn[] AddedColumns() => TextsColumnName is null
        ? [new(IdsColumnName, new VectorDataViewType(TextDataViewType.Instance)), new(ScoresColumnName, new VectorDataViewType(NumberDataViewType.Single))]
        : [new(IdsColumnName, new VectorDataViewType(TextDataViewType.Instance)), new(ScoresColumnName, new VectorDataViewType(NumberDataViewType.Single)),
            new(TextsColumnName, new VectorDataViewType(TextDataViewType.Instance))];
}
