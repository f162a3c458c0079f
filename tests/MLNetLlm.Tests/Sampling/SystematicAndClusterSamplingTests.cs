using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Sampling;
using static MLNetLlm.Tests.Sampling.SamplingTestData;

namespace MLNetLlm.Tests.Sampling;

public class SystematicAndClusterSamplingTests
{
    [Fact]
    public void Systematic_keeps_every_interval_th_row_from_a_random_start_without_a_pass()
    {
        var ml = new MLContext(seed: 1);
        var data = new GeneratedDataView(1000);
        var sample = ml.Data.Llm.SampleSystematic(data, 10, seed: 3);
        Assert.Equal(0, data.CursorsOpened);

        var ids = sample.GetColumn<long>("Id").ToArray();
        Assert.Equal(100, ids.Length);
        Assert.Equal(100, sample.GetRowCount());
        Assert.InRange(ids[0], 0, 9);
        Assert.All(ids.Zip(ids.Skip(1)), pair => Assert.Equal(10, pair.Second - pair.First));
        Assert.Same(data.Schema, sample.Schema);
    }

    [Fact]
    public void Systematic_starts_are_uniform_over_the_interval_and_follow_the_seed()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100);
        var starts = Enumerable.Range(0, 200).Select(seed => Ids(ml.Data.Llm.SampleSystematic(data, 4, seed))[0]).ToArray();
        Assert.Equal(starts, Enumerable.Range(0, 200).Select(seed => Ids(ml.Data.Llm.SampleSystematic(data, 4, seed))[0]));
        // 200 starts over 4 values: 50 expected each, standard deviation 6.1; tolerance 25 (4 sd).
        Assert.All(starts.CountBy(s => s), pair => Assert.InRange(pair.Value, 25, 75));
        Assert.Equal(4, starts.Distinct().Count());
    }

    [Fact]
    public void Systematic_by_count_keeps_exactly_count_rows_spread_over_the_input()
    {
        var ml = new MLContext(seed: 1);
        var ids = Ids(ml.Data.Llm.SampleSystematic(Rows(ml, 100), new SystematicSamplingOptions { Count = 7, Seed = 1 }));
        Assert.Equal(7, ids.Length);
        Assert.All(ids.Zip(ids.Skip(1)), pair => Assert.InRange(pair.Second - pair.First, 14, 15));
    }

    [Fact]
    public void Systematic_refuses_a_bad_interval_or_count_and_passes_an_empty_input()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 10);
        Assert.Equal(nameof(SystematicSamplingOptions.Interval),
            Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SampleSystematic(data, 0)).ParamName);
        Assert.Equal(nameof(SystematicSamplingOptions.Count), Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Data.Llm.SampleSystematic(data, new SystematicSamplingOptions { Count = 11 })).ParamName);
        Assert.Empty(Ids(ml.Data.Llm.SampleSystematic(Rows(ml, 0), 3)));
        Assert.Empty(Ids(ml.Data.Llm.SampleSystematic(Rows(ml, 0), new SystematicSamplingOptions { Count = 3 })));
    }

    [Fact]
    public void Cluster_sampling_keeps_whole_groups_and_nothing_else()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100); // ten groups of ten rows
        var sample = ml.Data.Llm.SampleClusters(data, "Group", 0.3, seed: 4);

        var groups = sample.GetColumn<int>("Group").ToArray();
        Assert.Equal(3, groups.Distinct().Count());
        Assert.All(groups.CountBy(g => g), pair => Assert.Equal(10, pair.Value));
        Assert.Equal(Ids(sample).Order(), Ids(sample));
        Assert.NotEqual(groups.Distinct(), ml.Data.Llm.SampleClusters(data, "Group", 0.3, seed: 5).GetColumn<int>("Group").Distinct());
    }

    [Fact]
    public void Every_group_is_equally_likely()
    {
        // 1,000 draws of 2 of 10 groups: inclusion 0.2, standard deviation 0.0126; tolerance 0.05 (4 sd).
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100);
        var chosen = new int[10];
        for (var seed = 0; seed < 1000; seed++)
        {
            var options = new ClusterSamplingOptions { GroupColumnName = "Group", GroupCount = 2, Seed = seed };
            foreach (var group in ml.Data.Llm.SampleClusters(data, options).GetColumn<int>("Group").Distinct())
                chosen[group]++;
        }
        Assert.All(chosen, count => Assert.InRange(count / 1000.0, 0.15, 0.25));
    }

    [Fact]
    public void Cluster_sampling_refuses_a_missing_column_and_too_many_groups()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100);
        var missing = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleClusters(data, "Session", 0.5));
        Assert.Equal(nameof(ClusterSamplingOptions.GroupColumnName), missing.ParamName);
        Assert.Contains("'Session'", missing.Message);
        var tooMany = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Data.Llm.SampleClusters(data, new ClusterSamplingOptions { GroupColumnName = "Group", GroupCount = 11 }));
        Assert.Equal(nameof(ClusterSamplingOptions.GroupCount), tooMany.ParamName);
        Assert.Empty(Ids(ml.Data.Llm.SampleClusters(Rows(ml, 0), "Group", 0.5)));
    }
}
