using Microsoft.ML;
using Microsoft.ML.Data;
using static MLNetLlm.Tests.Sampling.SamplingTestData;

namespace MLNetLlm.Tests.Sampling;

public class SampledViewTests
{
    [Fact]
    public void A_sample_feeds_ML_NET_transforms_and_trainers_like_any_view()
    {
        var ml = new MLContext(seed: 1);
        var data = Rows(ml, 200, Blocks(150, 50));
        var sample = ml.Data.Llm.SampleBalanced(data, "Label", seed: 1);

        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 2));
        var scored = pipeline.Fit(sample).Transform(sample);
        Assert.Equal(100, scored.GetColumn<uint>("PredictedLabel").Count());
        Assert.Equal(100, ml.Data.ShuffleRows(sample, seed: 1).GetColumn<long>("Id").Count());
    }

    [Fact]
    public void Cursors_over_a_sample_are_independent_and_read_only_the_columns_asked_for()
    {
        var ml = new MLContext(seed: 1);
        var sample = ml.Data.Llm.SampleRandom(Rows(ml, 100), 10, seed: 1);
        using var first = sample.GetRowCursor([sample.Schema["Id"]]);
        using var second = sample.GetRowCursorSet([sample.Schema["Id"]], 4).Single();
        Assert.True(first.IsColumnActive(sample.Schema["Id"]));
        Assert.False(first.IsColumnActive(sample.Schema["Label"]));

        var getFirst = first.GetGetter<long>(sample.Schema["Id"]);
        var getSecond = second.GetGetter<long>(sample.Schema["Id"]);
        long a = 0, b = 0, rows = 0;
        Assert.True(first.MoveNext());
        getFirst(ref a);
        while (second.MoveNext())
        {
            rows++;
            getSecond(ref b);
        }
        Assert.Equal(10, rows);
        Assert.Equal(0, first.Position);
        Assert.Equal(Ids(sample)[0], a);
        Assert.Equal(Ids(sample)[^1], b);
    }
}
