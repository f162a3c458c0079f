using MLNetLlm.Kit;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Settings of stratified sampling (<see cref="LlmDataCatalog.SampleStratified(IDataView, StratifiedSamplingOptions)"/>).</summary>
public sealed class StratifiedSamplingOptions
{
    /// <summary>The column whose values define the strata: key, bool, text or an integer type. Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Proportional allocation: <c>round(Fraction × rows of the stratum)</c> rows from each stratum, in (0, 1]. Set this or <see cref="CountPerStratum"/>.</summary>
    public double? Fraction { get; set; }

    /// <summary>Fixed allocation: exactly this many rows from every stratum. Set this or <see cref="Fraction"/>.</summary>
    public long? CountPerStratum { get; set; }

    /// <summary>The random seed; by default the next seed of the <see cref="MLContext"/>.</summary>
    public int? Seed { get; set; }
}

/// <summary>Stratified sampling without replacement: a uniform reservoir per stratum.</summary>
internal static class StratifiedSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, StratifiedSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var label = SamplingArguments.Column(data, options.LabelColumnName, nameof(options.LabelColumnName), "label");
        var strata = Strata.Create(label, nameof(options.LabelColumnName));
        SamplingArguments.CountOrFraction(options.CountPerStratum, options.Fraction, nameof(options.CountPerStratum), nameof(options.Fraction));
        var size = options.CountPerStratum is { } count
            ? SampleSize.Count(count, nameof(options.CountPerStratum))
            : SampleSize.Fraction(options.Fraction!.Value, nameof(options.Fraction));
        var draw = new RowDraw { Data = data, Strata = strata, Size = size, Seed = environment.NextSeed("Sampling", options.Seed) };
        var positions = draw.Select();
        SampledViews.Log(environment, "SampleStratified", positions.Length, draw.Passes);
        return SampledViews.FromPositions(data, positions);
    }
}
