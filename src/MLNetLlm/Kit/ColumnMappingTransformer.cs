using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Kit;

/// <summary>
/// What every MLNetLlm transformer that adds columns shares: a lazy <see cref="Transform"/> (row by row, or a batch at a
/// time when the mapper is a <see cref="BatchedColumnMapper{TInput,TBatch}"/>), the output schema and a row-to-row
/// mapper (so <c>CreatePredictionEngine</c> works), all from one mapper built for an input schema, and
/// <see cref="Save"/> pointing to <c>mlContext.Model.Llm.Save</c>.
/// </summary>
public abstract class ColumnMappingTransformer : ITransformer
{
    /// <summary>For derived transformers.</summary>
    protected ColumnMappingTransformer()
    {
    }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Mapper(inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Mapper(input.Schema).CreateDataView(input);
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Mapper(inputSchema);

    /// <summary>Not supported: ML.NET keeps its model-saving API internal. Use <c>mlContext.Model.Llm.Save</c>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Save(ModelSaveContext ctx) => throw PersistenceErrors.UseLlmSave(GetType().Name);

    private ColumnMapper Mapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return MapperFor(inputSchema);
    }

    /// <summary>The mapper for <paramref name="inputSchema"/>: it validates the input columns and names a bad one.</summary>
    protected abstract ColumnMapper MapperFor(DataViewSchema inputSchema);
}
