using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Sampling;
using static MLNetLlm.Tests.Sampling.SamplingTestData;

namespace MLNetLlm.Tests.Sampling;

public class BootstrapAndBalancedSamplingTests
{
    [Fact]
    public void Bootstrap_draws_exactly_as_many_rows_and_leaves_about_a_third_out()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 20_000);
        var ids = Ids(ml.Data.Llm.SampleBootstrap(data, seed: 9));

        Assert.Equal(20_000, ids.Length);
        Assert.Equal(ids.Order(), ids);
        // The share of rows never drawn is (1 - 1/n)^n ≈ 1/e = 0.368, standard deviation about 0.0024 at n = 20,000.
        var absent = 1 - ids.Distinct().Count() / 20_000.0;
        Assert.InRange(absent, 0.358, 0.378);
    }

    [Fact]
    public void Bootstrap_takes_an_explicit_count_needs_no_pass_for_a_sized_input_and_follows_the_seed()
    {
        var ml = new MLContext(seed: 1);
        var data = new GeneratedDataView(1000);
        var sample = ml.Data.Llm.SampleBootstrap(data, 2500, seed: 1);
        Assert.Equal(0, data.CursorsOpened); // positions are drawn straight from the known row count
        Assert.Equal(2500, sample.GetRowCount());
        Assert.Equal(2500, sample.GetColumn<long>("Id").Count());
        Assert.Equal(Ids(ml.Data.Llm.SampleBootstrap(Rows(ml, 100), seed: 1)), Ids(ml.Data.Llm.SampleBootstrap(Rows(ml, 100), seed: 1)));
        Assert.NotEqual(Ids(ml.Data.Llm.SampleBootstrap(Rows(ml, 100), seed: 1)), Ids(ml.Data.Llm.SampleBootstrap(Rows(ml, 100), seed: 2)));
        Assert.Empty(Ids(ml.Data.Llm.SampleBootstrap(Rows(ml, 0), 10)));
    }

    [Fact]
    public void Bootstrap_over_data_of_unknown_size_counts_then_draws()
    {
        var ml = new MLContext(seed: 1);
        var data = new GeneratedDataView(20_000, knowsRowCount: false);
        var sample = ml.Data.Llm.SampleBootstrap(data, seed: 9);
        Assert.Equal(2, data.CursorsOpened); // count, then the multinomial walk
        var ids = sample.GetColumn<long>("Id").ToArray();
        Assert.Equal(20_000, ids.Length);
        Assert.InRange(1 - ids.Distinct().Count() / 20_000.0, 0.358, 0.378);
    }

    [Fact]
    public void Repeated_rows_get_distinct_row_ids()
    {
        var ml = new MLContext(seed: 1);
        var sample = ml.Data.Llm.SampleBootstrap(Rows(ml, 10), 50, seed: 1);
        var ids = new List<DataViewRowId>();
        using var cursor = sample.GetRowCursor(sample.Schema);
        var getId = cursor.GetIdGetter();
        while (cursor.MoveNext())
        {
            DataViewRowId id = default;
            getId(ref id);
            ids.Add(id);
        }
        Assert.Equal(50, ids.Distinct().Count());
    }

    [Fact]
    public void Undersampling_keeps_as_many_rows_of_each_class_as_the_smallest_has()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100, Blocks(60, 30, 10));
        var sample = ml.Data.Llm.SampleBalanced(data, "Label", BalancingMode.Undersample, seed: 1);
        Assert.All(Labels(sample).CountBy(l => l), pair => Assert.Equal(10, pair.Value));
        Assert.Equal(30, Ids(sample).Distinct().Count());
    }

    [Fact]
    public void Oversampling_keeps_every_row_and_adds_copies_until_each_class_is_as_large_as_the_largest()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100, Blocks(60, 30, 10));
        var sample = ml.Data.Llm.SampleBalanced(data, "Label", BalancingMode.Oversample, seed: 1);
        var ids = Ids(sample);
        Assert.Equal(180, sample.GetRowCount());
        Assert.All(Labels(sample).CountBy(l => l), pair => Assert.Equal(60, pair.Value));
        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), ids.Distinct());
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(60, ids.Count(id => id < 60)); // the largest class gets no copies
    }

    [Fact]
    public void Balancing_is_deterministic_for_a_seed_and_different_for_another()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100, Blocks(60, 30, 10));
        foreach (var mode in new[] { BalancingMode.Undersample, BalancingMode.Oversample })
        {
            Assert.Equal(Ids(ml.Data.Llm.SampleBalanced(data, "Label", mode, seed: 1)), Ids(ml.Data.Llm.SampleBalanced(data, "Label", mode, seed: 1)));
            Assert.NotEqual(Ids(ml.Data.Llm.SampleBalanced(data, "Label", mode, seed: 1)), Ids(ml.Data.Llm.SampleBalanced(data, "Label", mode, seed: 2)));
        }
    }

    [Fact]
    public void Balancing_refuses_a_missing_or_unsupported_label_and_passes_an_empty_input()
    {
        var ml = new MLContext(seed: 1);
        var missing = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleBalanced(Rows(ml, 10), "Class"));
        Assert.Equal("labelColumnName", missing.ParamName);
        Assert.Contains("'Class'", missing.Message);
        var unsupported = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleBalanced(Rows(ml, 10), "Features"));
        Assert.Contains("cannot define strata", unsupported.Message);
        Assert.Empty(Ids(ml.Data.Llm.SampleBalanced(Rows(ml, 0), "Label", BalancingMode.Oversample)));
    }
}
