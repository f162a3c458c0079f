using MLNetLlm.Kit;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Bootstrap sampling: exactly n rows drawn uniformly with replacement.</summary>
internal static class BootstrapSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, long? count, int? seed)
    {
        ArgumentNullException.ThrowIfNull(data);
        var size = count is { } n
            ? SampleSize.Count(SamplingArguments.Count(n, nameof(count)), nameof(count))
            : SampleSize.FromCounts((stratum, rows) => rows[stratum], nameof(count));
        var draw = new RowDraw { Data = data, Size = size, WithReplacement = true, Seed = environment.NextSeed("Sampling", seed) };
        var positions = draw.Select();
        SampledViews.Log(environment, "SampleBootstrap", positions.Length, draw.Passes);
        return SampledViews.FromPositions(data, positions);
    }
}
