using MLNetLlm.Kit;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Settings of systematic sampling (<see cref="LlmDataCatalog.SampleSystematic(IDataView, SystematicSamplingOptions)"/>).</summary>
public sealed class SystematicSamplingOptions
{
    /// <summary>Keep every <c>Interval</c>-th row from a random start in <c>[0, Interval)</c>. Set this or <see cref="Count"/>.</summary>
    public long? Interval { get; set; }

    /// <summary>Keep exactly this many rows at the fractional interval <c>rows / Count</c> from a random start. Set this or <see cref="Interval"/>.</summary>
    public long? Count { get; set; }

    /// <summary>The random seed; by default the next seed of the <see cref="MLContext"/>.</summary>
    public int? Seed { get; set; }
}

/// <summary>Systematic sampling: a random start, then a fixed interval.</summary>
internal static class SystematicSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, SystematicSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Interval.HasValue == options.Count.HasValue)
            throw new ArgumentException($"Set exactly one of {nameof(options.Interval)} and {nameof(options.Count)}.", nameof(options.Interval));
        var random = new Random(environment.NextSeed("Sampling", options.Seed));

        if (options.Interval is { } interval)
        {
            if (interval < 1)
                throw new ArgumentOutOfRangeException(nameof(options.Interval), interval, "The sampling interval must be at least 1.");
            var start = random.NextInt64(interval);
            long? rowCount = data.GetRowCount() is { } rows ? (rows > start ? (rows - 1 - start) / interval + 1 : 0) : null;
            environment.LogInfo("Sampling", $"SampleSystematic: every {interval}th row from row {start}, no pass at call time.");
            return new SelectedRowsDataView(data, () => RowSequences.EveryInterval(start, interval), rowCount);
        }

        var count = SamplingArguments.Count(options.Count!.Value, nameof(options.Count));
        var total = SamplingArguments.RowCount(data);
        if (count > total && total > 0)
            throw new ArgumentOutOfRangeException(nameof(options.Count), count,
                $"Cannot take {count} rows systematically from data that has only {total} rows.");
        if (count == 0 || total == 0)
            return SampledViews.FromPositions(data, []);
        var step = (double)total / count;
        var first = random.NextDouble() * step;
        SampledViews.Log(environment, "SampleSystematic", count, data.GetRowCount() is null ? 1 : 0);
        return new SelectedRowsDataView(data, () => RowSequences.EveryFractionalInterval(first, step, count, total), count);
    }
}
