using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Sampling;
using static MLNetLlm.Tests.Sampling.SamplingTestData;

namespace MLNetLlm.Tests.Sampling;

public class StratifiedSamplingTests
{
    [Fact]
    public void Proportional_allocation_keeps_exactly_the_rounded_share_of_each_stratum()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 165, Blocks(100, 50, 15));
        var sample = ml.Data.Llm.SampleStratified(data, "Label", 0.3, seed: 5);

        var counts = Labels(sample).CountBy(l => l).ToDictionary();
        Assert.Equal(30, counts["A"]);
        Assert.Equal(15, counts["B"]);
        Assert.Equal(5, counts["C"]); // 4.5 rounds up
        var ids = Ids(sample);
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.Equal(ids.Order(), ids);
        Assert.Same(data.Schema, sample.Schema);
    }

    [Fact]
    public void Fixed_allocation_keeps_the_same_count_from_every_stratum_in_one_pass()
    {
        var ml = new MLContext(seed: 1);
        var data = new GeneratedDataView(10_000, knowsRowCount: false);
        var sample = ml.Data.Llm.SampleStratified(data, new StratifiedSamplingOptions { LabelColumnName = "Label", CountPerStratum = 25, Seed = 2 });

        Assert.Equal(1, data.CursorsOpened);
        var labels = sample.GetColumn<int>("Label").ToArray();
        Assert.Equal(100, labels.Length);
        Assert.All(labels.CountBy(l => l), pair => Assert.Equal(25, pair.Value));
    }

    [Fact]
    public void Is_deterministic_for_a_seed_and_different_for_another()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 300, Blocks(200, 100));
        Assert.Equal(Ids(ml.Data.Llm.SampleStratified(data, "Label", 0.2, seed: 1)), Ids(ml.Data.Llm.SampleStratified(data, "Label", 0.2, seed: 1)));
        Assert.NotEqual(Ids(ml.Data.Llm.SampleStratified(data, "Label", 0.2, seed: 1)), Ids(ml.Data.Llm.SampleStratified(data, "Label", 0.2, seed: 2)));
    }

    [Fact]
    public void Every_row_of_a_stratum_is_equally_likely()
    {
        // 1,000 samples of 2 of the 10 "B" rows: inclusion rate 0.2, standard deviation 0.0126; tolerance 0.05 (4 sd).
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 30, Blocks(20, 10));
        var chosen = new int[30];
        for (var seed = 0; seed < 1000; seed++)
        {
            var options = new StratifiedSamplingOptions { CountPerStratum = 2, Seed = seed };
            foreach (var id in Ids(ml.Data.Llm.SampleStratified(data, options)))
                chosen[id]++;
        }
        Assert.All(chosen[20..], count => Assert.InRange(count / 1000.0, 0.15, 0.25));
        Assert.All(chosen[..20], count => Assert.InRange(count / 1000.0, 0.06, 0.14));
    }

    [Fact]
    public void Key_bool_integer_and_text_labels_define_strata()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 40, Blocks(30, 10));
        var keyed = ml.Transforms.Conversion.MapValueToKey("Key", "Label").Fit(data).Transform(data);
        var withBool = ml.Transforms.CustomMapping((SampleRow row, BoolRow output) => output.IsA = row.Label == "A", "isA")
            .Fit(data).Transform(data);

        foreach (var (view, column) in new[] { (keyed, "Key"), (withBool, "IsA"), (data, "Group"), (data, "Label") })
        {
            var sample = ml.Data.Llm.SampleStratified(view, column, 0.5, seed: 1);
            Assert.Equal(20, Ids(sample).Length);
        }
    }

    public sealed class BoolRow
    {
        public bool IsA { get; set; }
    }

    [Fact]
    public void A_float_label_is_refused_with_its_name()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleStratified(Rows(ml, 10), "Weight", 0.5));
        Assert.Equal(nameof(StratifiedSamplingOptions.LabelColumnName), error.ParamName);
        Assert.Contains("'Weight'", error.Message);
    }

    [Fact]
    public void A_missing_label_column_is_refused_with_its_name()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleStratified(Rows(ml, 10), "Class", 0.5));
        Assert.Equal(nameof(StratifiedSamplingOptions.LabelColumnName), error.ParamName);
        Assert.Contains("'Class'", error.Message);
    }

    [Fact]
    public void A_stratum_smaller_than_the_fixed_count_is_refused_with_its_value()
    {
        var ml = new MLContext(seed: 1);
        var error = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Data.Llm.SampleStratified(Rows(ml, 40, Blocks(35, 5)), new StratifiedSamplingOptions { CountPerStratum = 6 }));
        Assert.Equal(nameof(StratifiedSamplingOptions.CountPerStratum), error.ParamName);
        Assert.Contains("stratum 'B'", error.Message);
    }

    [Fact]
    public void Fraction_outside_zero_one_and_an_empty_input()
    {
        var ml = new MLContext(seed: 1);
        Assert.Equal("fraction", Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SampleStratified(Rows(ml, 10), "Label", 1.01)).ParamName);
        Assert.Empty(Ids(ml.Data.Llm.SampleStratified(Rows(ml, 0), "Label", 0.5)));
        Assert.Empty(Ids(ml.Data.Llm.SampleStratified(Rows(ml, 0), new StratifiedSamplingOptions { CountPerStratum = 3 })));
    }
}
