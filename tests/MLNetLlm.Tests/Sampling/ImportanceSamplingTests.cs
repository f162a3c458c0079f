using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Sampling;
using static MLNetLlm.Tests.Sampling.SamplingTestData;

namespace MLNetLlm.Tests.Sampling;

public class ImportanceSamplingTests
{
    // The 0.999 quantile of the chi-square distribution with 3 degrees of freedom: a correct sampler exceeds it
    // once in a thousand seeds, and every seed here is fixed.
    private const double ChiSquare3Dof999 = 16.27;

    private static double ChiSquare(int[] observed, double[] expected) =>
        observed.Zip(expected, (o, e) => (o - e) * (o - e) / e).Sum();

    [Fact]
    public void With_replacement_draws_rows_in_proportion_to_their_weight()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 4, weight: i => i + 1); // weights 1, 2, 3, 4
        var ids = Ids(ml.Data.Llm.SampleImportance(data, "Weight", 10_000, withReplacement: true, seed: 11));

        Assert.Equal(10_000, ids.Length);
        Assert.Equal(ids.Order(), ids);
        var observed = Enumerable.Range(0, 4).Select(i => ids.Count(id => id == i)).ToArray();
        Assert.InRange(ChiSquare(observed, [1000, 2000, 3000, 4000]), 0, ChiSquare3Dof999);
    }

    [Fact]
    public void Without_replacement_a_single_draw_picks_rows_in_proportion_to_their_weight()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 4, weight: i => i + 1);
        var observed = new int[4];
        for (var seed = 0; seed < 2000; seed++)
            observed[Ids(ml.Data.Llm.SampleImportance(data, "Weight", 1, seed: seed))[0]]++;
        Assert.InRange(ChiSquare(observed, [200, 400, 600, 800]), 0, ChiSquare3Dof999);
    }

    [Fact]
    public void Without_replacement_rows_are_distinct_and_weightless_rows_never_drawn()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 100, weight: i => i % 2 == 0 ? 0 : 1 + i);
        var ids = Ids(ml.Data.Llm.SampleImportance(data, "Weight", 50, seed: 1));
        Assert.Equal(50, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(1, id % 2));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SampleImportance(data, "Weight", 51));
        Assert.Equal(nameof(ImportanceSamplingOptions.Count), error.ParamName);
        Assert.Contains("positive weight", error.Message);
    }

    [Fact]
    public void Is_deterministic_for_a_seed_and_different_for_another()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 500, weight: i => 1 + i % 7);
        foreach (var replace in new[] { false, true })
        {
            Assert.Equal(Ids(ml.Data.Llm.SampleImportance(data, "Weight", 40, replace, seed: 1)),
                Ids(ml.Data.Llm.SampleImportance(data, "Weight", 40, replace, seed: 1)));
            Assert.NotEqual(Ids(ml.Data.Llm.SampleImportance(data, "Weight", 40, replace, seed: 1)),
                Ids(ml.Data.Llm.SampleImportance(data, "Weight", 40, replace, seed: 2)));
        }
    }

    [Theory]
    [InlineData(-1f, "-1")]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    public void Negative_nan_or_infinite_weights_are_refused_naming_the_column_and_row(float bad, string shown)
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 10, weight: i => i == 6 ? bad : 1);
        foreach (var replace in new[] { false, true })
        {
            var error = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleImportance(data, "Weight", 3, replace));
            Assert.Equal(nameof(ImportanceSamplingOptions.WeightColumnName), error.ParamName);
            Assert.Contains("'Weight'", error.Message);
            Assert.Contains("row 6", error.Message);
            Assert.Contains(shown, error.Message);
        }
    }

    [Fact]
    public void All_zero_weights_a_missing_or_a_non_float_weight_column_are_refused()
    {
        var ml = new MLContext(seed: 1);
        var zero = Rows(ml, 10, weight: _ => 0);
        foreach (var replace in new[] { false, true })
        {
            var error = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleImportance(zero, "Weight", 0, replace));
            Assert.Contains("only zero weights", error.Message);
        }
        var missing = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleImportance(zero, "Importance", 1));
        Assert.Equal(nameof(ImportanceSamplingOptions.WeightColumnName), missing.ParamName);
        Assert.Contains("'Importance'", missing.Message);
        var wrongType = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleImportance(zero, "Id", 1));
        Assert.Contains("float or double", wrongType.Message);
    }

    [Fact]
    public void An_empty_input_gives_an_empty_output()
    {
        var ml = new MLContext(seed: 1);
        Assert.Empty(Ids(ml.Data.Llm.SampleImportance(Rows(ml, 0), "Weight", 5)));
        Assert.Empty(Ids(ml.Data.Llm.SampleImportance(Rows(ml, 0), "Weight", 5, withReplacement: true)));
    }

    [Fact]
    public void Stratified_importance_draws_exact_counts_per_stratum_in_proportion_to_weight_within_each()
    {
        var ml = new MLContext(seed: 1);
        // Stratum A: rows 0..3 with weights 1..4; stratum B: rows 4..7 with weights 4..1.
        var data = Rows(ml, 8, Blocks(4, 4), weight: i => i < 4 ? i + 1 : 8 - i);
        var sample = ml.Data.Llm.SampleStratifiedImportance(data, new StratifiedImportanceSamplingOptions
        {
            CountPerStratum = 5000,
            WithReplacement = true,
            Seed = 3,
        });
        var ids = Ids(sample);
        Assert.Equal(5000, ids.Count(id => id < 4));
        Assert.Equal(5000, ids.Count(id => id >= 4));
        var a = Enumerable.Range(0, 4).Select(i => ids.Count(id => id == i)).ToArray();
        var b = Enumerable.Range(4, 4).Select(i => ids.Count(id => id == i)).ToArray();
        Assert.InRange(ChiSquare(a, [500, 1000, 1500, 2000]), 0, ChiSquare3Dof999);
        Assert.InRange(ChiSquare(b, [2000, 1500, 1000, 500]), 0, ChiSquare3Dof999);
    }

    [Fact]
    public void Stratified_importance_without_replacement_keeps_the_rounded_share_of_each_stratum()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 300, Blocks(200, 100), weight: i => 1 + i % 5);
        var labels = Labels(ml.Data.Llm.SampleStratifiedImportance(data, new StratifiedImportanceSamplingOptions { Fraction = 0.25, Seed = 1 }));
        Assert.Equal(50, labels.Count(l => l == "A"));
        Assert.Equal(25, labels.Count(l => l == "B"));
    }

    [Fact]
    public void Stratified_importance_refuses_missing_columns_and_passes_an_empty_input()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 10);
        var noLabel = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleStratifiedImportance(data,
            new StratifiedImportanceSamplingOptions { LabelColumnName = "Class", Fraction = 0.5 }));
        Assert.Equal(nameof(StratifiedImportanceSamplingOptions.LabelColumnName), noLabel.ParamName);
        var noWeight = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleStratifiedImportance(data,
            new StratifiedImportanceSamplingOptions { WeightColumnName = "W", Fraction = 0.5 }));
        Assert.Equal(nameof(StratifiedImportanceSamplingOptions.WeightColumnName), noWeight.ParamName);
        Assert.Empty(Ids(ml.Data.Llm.SampleStratifiedImportance(Rows(ml, 0),
            new StratifiedImportanceSamplingOptions { CountPerStratum = 4, WithReplacement = true })));
    }

    [Fact]
    public void Stratified_importance_refuses_a_stratum_whose_weights_are_all_zero()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 20, Blocks(10, 10), weight: i => i < 10 ? 1 : 0);
        var error = Assert.Throws<ArgumentException>(() => ml.Data.Llm.SampleStratifiedImportance(data,
            new StratifiedImportanceSamplingOptions { CountPerStratum = 2, WithReplacement = true }));
        Assert.Contains("stratum 'B'", error.Message);
        var withoutReplacement = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Data.Llm.SampleStratifiedImportance(data,
            new StratifiedImportanceSamplingOptions { CountPerStratum = 2 }));
        Assert.Contains("stratum 'B'", withoutReplacement.Message);
    }
}
