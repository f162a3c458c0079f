using Microsoft.ML;
using MLNetLlm.Preparation;
using static MLNetLlm.Tests.Preparation.PreparationTestData;

namespace MLNetLlm.Tests.Preparation;

public class WindowShuffleTests
{
    private static List<long> FirstInputs(MLContext ml, NextTokenWindowOptions options) =>
        [.. ReadWindows(ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 2001), "Tokens", options)).Select(w => w.Inputs[0])];

    private static NextTokenWindowOptions Shuffled(int? seed, int pool = 50) =>
        new() { ContextLength = 4, Shuffle = true, ShufflePoolSize = pool, Seed = seed };

    [Fact]
    public void The_same_seed_gives_the_same_order_and_another_seed_another()
    {
        var ml = new MLContext(seed: 1);

        var first = FirstInputs(ml, Shuffled(7));
        var again = FirstInputs(ml, Shuffled(7));
        var other = FirstInputs(ml, Shuffled(8));

        Assert.Equal(first, again);
        Assert.NotEqual(first, other);
    }

    [Fact]
    public void A_shuffle_reorders_the_same_windows()
    {
        var ml = new MLContext(seed: 1);
        var ordered = FirstInputs(ml, new NextTokenWindowOptions { ContextLength = 4 });

        var shuffled = FirstInputs(ml, Shuffled(7));

        Assert.NotEqual(ordered, shuffled);
        Assert.Equal(ordered, shuffled.Order());
        Assert.Equal(500, ordered.Count);
    }

    [Fact]
    public void Every_cursor_of_a_shuffled_view_gives_the_same_order()
    {
        var ml = new MLContext(seed: 1);
        var windows = ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 2001), "Tokens", Shuffled(seed: null));

        Assert.Equal(ReadWindows(windows).Select(w => w.Inputs[0]), ReadWindows(windows).Select(w => w.Inputs[0]));
    }

    [Fact]
    public void Without_a_seed_the_context_seed_makes_the_order_reproducible()
    {
        var fromOne = FirstInputs(new MLContext(seed: 1), Shuffled(seed: null));
        var fromOneAgain = FirstInputs(new MLContext(seed: 1), Shuffled(seed: null));
        var fromTwo = FirstInputs(new MLContext(seed: 2), Shuffled(seed: null));

        Assert.Equal(fromOne, fromOneAgain);
        Assert.NotEqual(fromOne, fromTwo);
    }

    [Fact]
    public void The_pool_bounds_how_far_a_window_moves_ahead()
    {
        var ml = new MLContext(seed: 1);
        const int pool = 10;

        var shuffled = FirstInputs(ml, Shuffled(7, pool));

        // Window k (first input 4k+1) enters the pool only after k - pool windows have left it.
        for (int position = 0; position < shuffled.Count; position++)
            Assert.True((shuffled[position] - 1) / 4 <= position + pool - 1, $"window {(shuffled[position] - 1) / 4} at row {position}");
    }

    [Fact]
    public void A_pool_larger_than_the_data_shuffles_everything_and_keeps_the_padded_tail()
    {
        var ml = new MLContext(seed: 1);
        var options = new NextTokenWindowOptions
        {
            ContextLength = 4, Shuffle = true, ShufflePoolSize = 10_000, Seed = 3, Tail = NextTokenWindowTail.Pad, PaddingId = 0,
        };

        var rows = ReadWindows(ml.Data.Llm.CreateNextTokenWindows(Counting(ml, 10), "Tokens", options));

        Assert.Equal(3, rows.Count);
        var padded = Assert.Single(rows, w => w.Inputs[0] == 9);
        Assert.Equal([10L, -1, -1, -1], padded.Targets);
    }
}
