using CustomTransformer;
using Microsoft.ML;
using MLNetLlm.Tests.Workout;

namespace MLNetLlm.Tests.Kit;

/// <summary>
/// The public kit is enough to write a transformer outside MLNetLlm: the example in examples/CustomTransformer, built
/// against the core package with no access to its internals, passes the same workout as the library's own transforms.
/// </summary>
public class ThirdPartyTransformerTests
{
    private sealed class Row
    {
        public string Text { get; set; } = "";
    }

    private sealed class NumberRow
    {
        public float Text { get; set; }
    }

    [Fact]
    public void A_transformer_built_on_the_public_kit_passes_the_estimator_workout()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(new[] { new Row { Text = "one two three" }, new Row { Text = "" }, new Row { Text = "four" } });
        var wrongType = ml.Data.LoadFromEnumerable(new[] { new NumberRow { Text = 1 } });

        var fitted = EstimatorWorkout.Check(new WordCountEstimator(ml, "Words", "Text"), data, (wrongType, "'Text'"));

        Assert.Equal([3f, 0f, 1f], ml.Data.CreateEnumerable<WordsRow>(fitted.Transform(data), reuseRowObject: false).Select(r => r.Words));
    }

    private sealed class WordsRow
    {
        public float Words { get; set; }
    }
}
