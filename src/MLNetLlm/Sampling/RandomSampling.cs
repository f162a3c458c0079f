using MLNetLlm.Kit;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Settings of simple random sampling (<see cref="LlmDataCatalog.SampleRandom(IDataView, RandomSamplingOptions)"/>).</summary>
public sealed class RandomSamplingOptions
{
    /// <summary>The exact number of rows to keep. Set this or <see cref="Fraction"/>.</summary>
    public long? Count { get; set; }

    /// <summary>The fraction of rows to keep, in (0, 1]: <c>round(Fraction × rows)</c> rows exactly. Set this or <see cref="Count"/>.</summary>
    public double? Fraction { get; set; }

    /// <summary>The random seed; by default the next seed of the <see cref="MLContext"/>.</summary>
    public int? Seed { get; set; }
}

/// <summary>Simple random sampling without replacement: a uniform reservoir over row positions.</summary>
internal static class RandomSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, RandomSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        SamplingArguments.CountOrFraction(options.Count, options.Fraction, nameof(options.Count), nameof(options.Fraction));
        var size = options.Count is { } count
            ? SampleSize.Count(count, nameof(options.Count))
            : SampleSize.Fraction(options.Fraction!.Value, nameof(options.Fraction));
        var draw = new RowDraw { Data = data, Size = size, Seed = environment.NextSeed("Sampling", options.Seed) };
        var positions = draw.Select();
        SampledViews.Log(environment, "SampleRandom", positions.Length, draw.Passes);
        return SampledViews.FromPositions(data, positions);
    }
}
