using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Kit;

/// <summary>A column a transform adds: its name, type and annotations (such as a classifier's slot names), if any.</summary>
public readonly record struct AddedColumn(string Name, DataViewType Type, DataViewSchema.Annotations? Annotations = null);

/// <summary>
/// What a column-adding transform computes over one input schema: the columns it adds after the input's, the input
/// columns they read, and the getters that compute them row by row. <see cref="MappedDataView"/> (lazy data views)
/// and <see cref="MappedRow"/> (the row-to-row mapper a <see cref="PredictionEngine{TSrc,TDst}"/> needs) share it.
/// </summary>
public abstract class ColumnMapper : IRowToRowMapper
{
    /// <summary>A mapper adding <paramref name="added"/> after the columns of <paramref name="inputSchema"/>.</summary>
    protected ColumnMapper(DataViewSchema inputSchema, IReadOnlyList<AddedColumn> added)
    {
        InputSchema = inputSchema;
        Added = added;
        var builder = new DataViewSchema.Builder();
        builder.AddColumns(inputSchema);
        foreach (var column in added)
            builder.AddColumn(column.Name, column.Type, column.Annotations);
        OutputSchema = builder.ToSchema();
    }

    /// <summary>The schema the mapper reads.</summary>
    public DataViewSchema InputSchema { get; }

    /// <summary>The input columns (same indices, hidden when an added column takes their name), then the added ones.</summary>
    public DataViewSchema OutputSchema { get; }

    /// <summary>The added columns, at indices <c>InputSchema.Count</c> and up of <see cref="OutputSchema"/>.</summary>
    public IReadOnlyList<AddedColumn> Added { get; }

    /// <summary>The input columns the added columns read.</summary>
    protected abstract IEnumerable<DataViewSchema.Column> ReadColumns { get; }

    /// <summary>
    /// Getters of the added columns over <paramref name="input"/> (a <c>ValueGetter&lt;T&gt;</c> per active added
    /// column, null for inactive ones). Each call makes fresh per-row state: cursors never share buffers.
    /// </summary>
    public abstract Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded);

    /// <summary>Which added columns are among <paramref name="columns"/> (columns of <see cref="OutputSchema"/>).</summary>
    public bool[] ActiveAdded(IEnumerable<DataViewSchema.Column> columns)
    {
        var active = new bool[Added.Count];
        foreach (var column in columns)
            if (column.Index >= InputSchema.Count)
                active[column.Index - InputSchema.Count] = true;
        return active;
    }

    /// <summary>The input columns needed to produce <paramref name="dependingColumns"/> of the output schema.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
    {
        var needed = new HashSet<int>();
        bool anyAdded = false;
        foreach (var column in dependingColumns)
        {
            if (column.Index < InputSchema.Count)
                needed.Add(column.Index);
            else
                anyAdded = true;
        }
        if (anyAdded)
            foreach (var column in ReadColumns)
                needed.Add(column.Index);
        return needed.Order().Select(i => InputSchema[i]).ToArray();
    }

    /// <summary>
    /// The lazy view of the output over <paramref name="input"/>, whose schema is <see cref="InputSchema"/>: computed row
    /// by row under each cursor (<see cref="MappedDataView"/>); a <see cref="BatchedColumnMapper{TInput,TBatch}"/>
    /// computes a batch of rows at a time instead.
    /// </summary>
    public virtual IDataView CreateDataView(IDataView input) => new MappedDataView(input, this);

    /// <summary>A row of <see cref="OutputSchema"/> over a row of <see cref="InputSchema"/>.</summary>
    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        ArgumentNullException.ThrowIfNull(input);
        var active = ActiveAdded(activeColumns);
        return new MappedRow(this, input, CreateGetters(input, active), active);
    }
}
