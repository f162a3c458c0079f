using MLNetLlm.Kit;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Settings of cluster sampling (<see cref="LlmDataCatalog.SampleClusters(IDataView, ClusterSamplingOptions)"/>).</summary>
public sealed class ClusterSamplingOptions
{
    /// <summary>The column whose values define the groups: key, bool, text or an integer type. Default <c>"GroupId"</c>.</summary>
    public string GroupColumnName { get; set; } = "GroupId";

    /// <summary>The exact number of groups to keep. Set this or <see cref="Fraction"/>.</summary>
    public long? GroupCount { get; set; }

    /// <summary>The fraction of groups to keep, in (0, 1]: <c>round(Fraction × groups)</c> groups. Set this or <see cref="GroupCount"/>.</summary>
    public double? Fraction { get; set; }

    /// <summary>The random seed; by default the next seed of the <see cref="MLContext"/>.</summary>
    public int? Seed { get; set; }
}

/// <summary>Cluster sampling: whole groups chosen uniformly at random, every row of a chosen group kept.</summary>
internal static class ClusterSampling
{
    public static IDataView Sample(IHostEnvironment environment, IDataView data, ClusterSamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(options);
        var column = SamplingArguments.Column(data, options.GroupColumnName, nameof(options.GroupColumnName), "group");
        var groups = Strata.Create(column, nameof(options.GroupColumnName));
        SamplingArguments.CountOrFraction(options.GroupCount, options.Fraction, nameof(options.GroupCount), nameof(options.Fraction));
        var random = new Random(environment.NextSeed("Sampling", options.Seed));

        using (var cursor = data.GetRowCursor([column]))
        {
            var readGroup = groups.Bind(cursor);
            while (cursor.MoveNext())
                readGroup();
        }
        var groupCount = groups.Count;
        var wanted = options.GroupCount ?? (long)Math.Round(options.Fraction!.Value * groupCount, MidpointRounding.AwayFromZero);
        if (wanted > groupCount && groupCount > 0)
            throw new ArgumentOutOfRangeException(nameof(options.GroupCount), wanted,
                $"Cannot choose {wanted} groups: column '{column.Name}' has only {groupCount} distinct values.");

        var chosen = ChooseGroups(groupCount, (int)Math.Min(wanted, groupCount), random);
        var positions = new List<long>();
        using (var cursor = data.GetRowCursor([column]))
        {
            var readGroup = groups.Bind(cursor);
            long position = -1;
            while (cursor.MoveNext())
            {
                position++;
                var group = readGroup();
                if (group < chosen.Length && chosen[group])
                    positions.Add(position);
            }
        }
        SampledViews.Log(environment, "SampleClusters", positions.Count, 2);
        return SampledViews.FromPositions(data, [.. positions]);
    }

    /// <summary>A uniform random subset of <paramref name="wanted"/> of <paramref name="groupCount"/> groups (partial Fisher–Yates).</summary>
    private static bool[] ChooseGroups(int groupCount, int wanted, Random random)
    {
        var order = Enumerable.Range(0, groupCount).ToArray();
        var chosen = new bool[groupCount];
        for (var i = 0; i < wanted; i++)
        {
            var j = random.Next(i, groupCount);
            (order[i], order[j]) = (order[j], order[i]);
            chosen[order[i]] = true;
        }
        return chosen;
    }
}
