using Microsoft.ML;

namespace MLNetLlm.Kit;

/// <summary>
/// A <see cref="ColumnMapper"/> whose added columns a model computes best many rows at a time (a GPT, a classifier):
/// it reads one input per row, computes a batch of them in one call and hands out each row's values from the batch.
/// <see cref="BatchedDataView{TInput,TBatch}"/> runs it over whole data views; a prediction engine runs it row by row,
/// as batches of one.
/// </summary>
/// <typeparam name="TInput">What the model reads from one row.</typeparam>
/// <typeparam name="TBatch">What the model computes for a batch of rows.</typeparam>
public abstract class BatchedColumnMapper<TInput, TBatch>(DataViewSchema inputSchema, IReadOnlyList<AddedColumn> added)
    : ColumnMapper(inputSchema, added)
{
    /// <summary>Rows computed in one call by data views.</summary>
    public abstract int BatchSize { get; }

    /// <summary>The input columns <see cref="CreateReader"/> reads, for the look-ahead cursor.</summary>
    public IEnumerable<DataViewSchema.Column> BatchColumns => ReadColumns;

    /// <summary>A reader of the current row of <paramref name="row"/>, reading what the active added columns need.</summary>
    public abstract Func<TInput> CreateReader(DataViewRow row, bool[] activeAdded);

    /// <summary>Computes the active added columns of <paramref name="inputs"/> in one call.</summary>
    /// <remarks><paramref name="inputs"/> is valid during the call only: the cursor refills the same list for its next batch.</remarks>
    public abstract TBatch Compute(IReadOnlyList<TInput> inputs, bool[] activeAdded);

    /// <summary>
    /// Computes the active added columns of <paramref name="inputs"/> in one call, and may refill
    /// <paramref name="previous"/> instead of allocating: it is the same cursor's last batch (default for its first),
    /// which no getter reads any more. A mapper whose batch holds buffers overrides this so steady-state scoring
    /// allocates nothing per row; the default calls <see cref="Compute(IReadOnlyList{TInput}, bool[])"/>.
    /// </summary>
    public virtual TBatch Compute(IReadOnlyList<TInput> inputs, bool[] activeAdded, TBatch? previous) => Compute(inputs, activeAdded);

    /// <summary>The getter of added column <paramref name="added"/>: row <paramref name="offset"/> of <paramref name="batch"/>.</summary>
    public abstract Delegate Getter(int added, Func<TBatch> batch, Func<int> offset);

    /// <summary>The lazy view of the output over <paramref name="input"/>, a batch at a time (<see cref="BatchedDataView{TInput,TBatch}"/>).</summary>
    public sealed override IDataView CreateDataView(IDataView input) => new BatchedDataView<TInput, TBatch>(input, this);

    /// <inheritdoc/>
    public sealed override Delegate?[] CreateGetters(DataViewRow input, bool[] activeAdded)
    {
        var getters = new Delegate?[activeAdded.Length];
        if (!activeAdded.Contains(true))
            return getters;
        var read = CreateReader(input, activeAdded);
        long position = -1;
        TBatch output = default!;
        TBatch Current()
        {
            if (position != input.Position)
            {
                output = Compute([read()], activeAdded, output);
                position = input.Position;
            }
            return output;
        }
        for (int i = 0; i < activeAdded.Length; i++)
            if (activeAdded[i])
                getters[i] = Getter(i, Current, () => 0);
        return getters;
    }
}
