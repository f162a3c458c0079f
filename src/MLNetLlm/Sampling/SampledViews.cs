using MLNetLlm.Kit;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Builds the output views of the samplers and logs what each chose.</summary>
internal static class SampledViews
{
    /// <summary>The rows at sorted <paramref name="positions"/> of <paramref name="data"/>, in source order.</summary>
    public static IDataView FromPositions(IDataView data, long[] positions) =>
        new SelectedRowsDataView(data, () => RowSequences.FromSortedPositions(positions), positions.LongLength);

    /// <summary>Writes one line to the context's log: the method, the rows chosen and the passes made so far.</summary>
    public static void Log(Microsoft.ML.Runtime.IHostEnvironment environment, string method, long rows, int passes) =>
        environment.LogInfo("Sampling", $"{method}: chose {rows} rows in {passes} pass(es) over the data.");
}
