using MLNetLlm.Kit;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Settings of importance sampling (<see cref="LlmDataCatalog.SampleImportance(IDataView, ImportanceSamplingOptions)"/>).</summary>
public sealed class ImportanceSamplingOptions
{
    /// <summary>The column of non-negative weights (float or double). Default <c>"Weight"</c>.</summary>
    public string WeightColumnName { get; set; } = "Weight";

    /// <summary>The exact number of rows to draw.</summary>
    public long Count { get; set; }

    /// <summary>Whether a row may be drawn more than once. Default <see langword="false"/>.</summary>
    public bool WithReplacement { get; set; }

    /// <summary>The random seed; by default the next seed of the <see cref="MLContext"/>.</summary>
    public int? Seed { get; set; }
}

/// <summary>Settings of stratified importance sampling (<see cref="LlmDataCatalog.SampleStratifiedImportance"/>).</summary>
public sealed class StratifiedImportanceSamplingOptions
{
    /// <summary>The column whose values define the strata: key, bool, text or an integer type. Default <c>"Label"</c>.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The column of non-negative weights (float or double). Default <c>"Weight"</c>.</summary>
    public string WeightColumnName { get; set; } = "Weight";

    /// <summary>Proportional allocation: <c>round(Fraction × rows of the stratum)</c> draws per stratum, in (0, 1]. Set this or <see cref="CountPerStratum"/>.</summary>
    public double? Fraction { get; set; }

    /// <summary>Fixed allocation: exactly this many draws from every stratum. Set this or <see cref="Fraction"/>.</summary>
    public long? CountPerStratum { get; set; }

    /// <summary>Whether a row may be drawn more than once. Default <see langword="false"/>.</summary>
    public bool WithReplacement { get; set; }

    /// <summary>The random seed; by default the next seed of the <see cref="MLContext"/>.</summary>
    public int? Seed { get; set; }
}

/// <summary>Importance sampling, over the whole data or within each stratum.</summary>
internal static class ImportanceSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, ImportanceSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var weight = SamplingArguments.Column(data, options.WeightColumnName, nameof(options.WeightColumnName), "weight");
        var draw = new RowDraw
        {
            Data = data,
            Weights = Weights.Create(weight, nameof(options.WeightColumnName)),
            Size = SampleSize.Count(SamplingArguments.Count(options.Count, nameof(options.Count)), nameof(options.Count)),
            WithReplacement = options.WithReplacement,
            Seed = environment.NextSeed("Sampling", options.Seed),
        };
        var positions = draw.Select();
        SampledViews.Log(environment, "SampleImportance", positions.Length, draw.Passes);
        return SampledViews.FromPositions(data, positions);
    }

    public static IDataView Sample(IHostEnvironment environment, IDataView data, StratifiedImportanceSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var label = SamplingArguments.Column(data, options.LabelColumnName, nameof(options.LabelColumnName), "label");
        var weight = SamplingArguments.Column(data, options.WeightColumnName, nameof(options.WeightColumnName), "weight");
        var strata = Strata.Create(label, nameof(options.LabelColumnName));
        var weights = Weights.Create(weight, nameof(options.WeightColumnName));
        SamplingArguments.CountOrFraction(options.CountPerStratum, options.Fraction, nameof(options.CountPerStratum), nameof(options.Fraction));
        var size = options.CountPerStratum is { } count
            ? SampleSize.Count(count, nameof(options.CountPerStratum))
            : SampleSize.Fraction(options.Fraction!.Value, nameof(options.Fraction));
        var draw = new RowDraw
        {
            Data = data,
            Strata = strata,
            Weights = weights,
            Size = size,
            WithReplacement = options.WithReplacement,
            Seed = environment.NextSeed("Sampling", options.Seed),
        };
        var positions = draw.Select();
        SampledViews.Log(environment, "SampleStratifiedImportance", positions.Length, draw.Passes);
        return SampledViews.FromPositions(data, positions);
    }
}
