using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Sampling;
using static MLNetLlm.Tests.Sampling.SamplingTestData;

namespace MLNetLlm.Tests.Sampling;

public class RandomSamplingTests
{
    [Fact]
    public void Keeps_exactly_count_distinct_rows_in_input_order_with_the_input_schema()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 1000);
        var sample = ml.Data.Llm.SampleRandom(data, 100, seed: 7);

        var ids = Ids(sample);
        Assert.Same(data.Schema, sample.Schema);
        Assert.Equal(100, ids.Length);
        Assert.Equal(100, sample.GetRowCount());
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.InRange(id, 0, 999));
    }

    [Fact]
    public void Is_deterministic_for_a_seed_and_different_for_another()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 1000);

        Assert.Equal(Ids(ml.Data.Llm.SampleRandom(data, 50, seed: 3)), Ids(ml.Data.Llm.SampleRandom(data, 50, seed: 3)));
        Assert.NotEqual(Ids(ml.Data.Llm.SampleRandom(data, 50, seed: 3)), Ids(ml.Data.Llm.SampleRandom(data, 50, seed: 4)));
    }

    [Fact]
    public void Takes_its_seed_from_the_context_when_none_is_given()
    {
        long[] SampleWithContext(int seed)
        {
            var ml = new MLContext(seed: seed);
            return Ids(ml.Data.Llm.SampleRandom(Rows(ml, 1000), 50));
        }

        Assert.Equal(SampleWithContext(1), SampleWithContext(1));
        Assert.NotEqual(SampleWithContext(1), SampleWithContext(2));
    }

    [Fact]
    public void Every_row_is_equally_likely_to_be_chosen()
    {
        // 2,000 samples of 5 of 20 rows: each row's inclusion rate is 0.25 with standard deviation 0.0097;
        // the tolerance 0.04 is four standard deviations.
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 20);
        var chosen = new int[20];
        const int Repeats = 2000;
        for (var seed = 0; seed < Repeats; seed++)
        {
            foreach (var id in Ids(ml.Data.Llm.SampleRandom(data, 5, seed)))
                chosen[id]++;
        }
        Assert.All(chosen, count => Assert.InRange(count / (double)Repeats, 0.21, 0.29));
    }

    [Theory]
    [InlineData(0.1, 100)]
    [InlineData(0.25, 250)]
    [InlineData(1.0, 1000)]
    [InlineData(0.0004, 0)]
    public void A_fraction_keeps_the_rounded_share_of_rows(double fraction, int expected)
    {
        var ml = new MLContext(seed: 1);
        var sample = ml.Data.Llm.SampleRandomFraction(Rows(ml, 1000), fraction, seed: 1);
        Assert.Equal(expected, Ids(sample).Distinct().Count());
    }

    [Fact]
    public void A_fraction_over_data_of_unknown_size_counts_first_then_draws()
    {
        var ml = new MLContext(seed: 1);
        var data = new GeneratedDataView(1000, knowsRowCount: false);
        var sample = ml.Data.Llm.SampleRandomFraction(data, 0.1, seed: 1);
        Assert.Equal(2, data.CursorsOpened);
        Assert.Equal(100, sample.GetColumn<long>("Id").Count());
    }

    [Fact]
    public void A_count_draws_in_one_pass_or_none_when_the_row_count_is_known()
    {
        var ml = new MLContext(seed: 1);
        var unsized = new GeneratedDataView(1000, knowsRowCount: false);
        var fromReservoir = ml.Data.Llm.SampleRandom(unsized, 10, seed: 1).GetColumn<long>("Id").ToArray();
        Assert.Equal(2, unsized.CursorsOpened); // the reservoir pass, then the cursor over the sample
        var sized = new GeneratedDataView(1000);
        var fromFloyd = ml.Data.Llm.SampleRandom(sized, 10, seed: 1);
        Assert.Equal(0, sized.CursorsOpened);
        Assert.Equal(10, fromFloyd.GetColumn<long>("Id").Distinct().Count());
        Assert.Equal(10, fromReservoir.Distinct().Count());
    }

    [Fact]
    public void The_reservoir_chooses_every_row_equally_likely_too()
    {
        // As Every_row_is_equally_likely_to_be_chosen, on a view that does not know its size.
        var ml = new MLContext(seed: 1);
        var data = new GeneratedDataView(20, knowsRowCount: false);
        var chosen = new int[20];
        for (var seed = 0; seed < 2000; seed++)
        {
            foreach (var id in ml.Data.Llm.SampleRandom(data, 5, seed).GetColumn<long>("Id"))
                chosen[id]++;
        }
        Assert.All(chosen, count => Assert.InRange(count / 2000.0, 0.21, 0.29));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.1)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_fraction_outside_zero_one_is_refused(double fraction)
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SampleRandomFraction(Rows(ml, 10), fraction));
        Assert.Equal("fraction", error.ParamName);
    }

    [Fact]
    public void A_count_above_the_row_count_is_refused()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SampleRandom(Rows(ml, 10), 11));
        Assert.Equal(nameof(RandomSamplingOptions.Count), error.ParamName);
        Assert.Contains("only 10 rows", error.Message);
    }

    [Fact]
    public void Count_and_fraction_together_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentException>(() =>
            ml.Data.Llm.SampleRandom(Rows(ml, 10), new RandomSamplingOptions { Count = 2, Fraction = 0.5 }));
        Assert.Contains("exactly one", error.Message);
    }

    [Fact]
    public void An_empty_input_gives_an_empty_output()
    {
        var ml = new MLContext(seed: 1);
        var empty = Rows(ml, 0);
        Assert.Empty(Ids(ml.Data.Llm.SampleRandom(empty, 5)));
        Assert.Empty(Ids(ml.Data.Llm.SampleRandomFraction(empty, 0.5)));
    }
}
