using MLNetLlm.Kit;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>How <see cref="LlmDataCatalog.SampleBalanced"/> equalises the class counts.</summary>
public enum BalancingMode
{
    /// <summary>Keep a uniform random subset of every class, as many rows as the smallest class has (no repeats).</summary>
    Undersample,

    /// <summary>Keep every row and add random copies (drawn with replacement) of each smaller class until it has as many rows as the largest.</summary>
    Oversample,
}

/// <summary>Balanced sampling: equal class counts by undersampling the majority or oversampling the minority.</summary>
internal static class BalancedSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, string labelColumnName, BalancingMode mode, int? seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var label = SamplingArguments.Column(data, labelColumnName, nameof(labelColumnName), "label");
        var strata = Strata.Create(label, nameof(labelColumnName));
        if (!Enum.IsDefined(mode))
            throw new ArgumentOutOfRangeException(nameof(mode), mode, "Unknown balancing mode.");
        var size = mode == BalancingMode.Undersample
            ? SampleSize.FromCounts((_, rows) => rows.Min(), nameof(labelColumnName))
            : SampleSize.FromCounts((stratum, rows) => rows.Max() - rows[stratum], nameof(labelColumnName));
        var draw = new RowDraw
        {
            Data = data,
            Strata = strata,
            Size = size,
            WithReplacement = mode == BalancingMode.Oversample,
            Seed = environment.NextSeed("Sampling", seed),
        };
        var positions = draw.Select();
        if (mode == BalancingMode.Undersample)
        {
            SampledViews.Log(environment, "SampleBalanced", positions.Length, draw.Passes);
            return SampledViews.FromPositions(data, positions);
        }
        var copies = Array.ConvertAll(positions, position => new SelectedRow(position));
        var rowCount = draw.RowsSeen;
        SampledViews.Log(environment, "SampleBalanced", rowCount + copies.Length, draw.Passes);
        return new SelectedRowsDataView(data, () => RowSequences.AllRowsPlus(rowCount, copies), rowCount + copies.Length);
    }
}
