using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Training;

public class TrainingPartsTests
{
    [Fact]
    public void The_schedule_warms_up_linearly_then_decays_along_a_cosine_to_the_minimum()
    {
        var schedule = new LearningRateSchedule(Peak: 1.0, Minimum: 0.1, WarmupSteps: 4, TotalSteps: 14);

        Assert.Equal([0.25, 0.5, 0.75, 1.0], Enumerable.Range(0, 4).Select(s => schedule.At(s)));
        Assert.Equal(1.0, schedule.At(4), 12);                   // the first decay step is still at the peak
        Assert.Equal(0.1 + 0.45 * (1 + Math.Cos(Math.PI / 3)), schedule.At(7), 12); // a third of the way along the cosine
        Assert.Equal(0.1, schedule.At(13), 12);                  // the last step reaches the minimum
        var rates = Enumerable.Range(4, 10).Select(s => schedule.At(s)).ToList();
        Assert.True(rates.Zip(rates.Skip(1)).All(pair => pair.Second < pair.First));
    }

    [Fact]
    public void Without_warmup_steps_the_warmup_is_five_percent_of_the_run()
    {
        Assert.Equal(10, LearningRateSchedule.For(new GptTrainingOptions(), 200).WarmupSteps);
        Assert.Equal(0, LearningRateSchedule.For(new GptTrainingOptions(), 10).WarmupSteps);
        Assert.Equal(7, LearningRateSchedule.For(new GptTrainingOptions { WarmupSteps = 30 }, 7).WarmupSteps);
    }

    [Fact]
    public void Windows_from_tokens_pair_each_input_with_the_next_token()
    {
        var windows = InMemoryTokenWindows.FromTokens([1, 2, 3, 4, 5, 6, 7], windowLength: 3, stride: 2);
        var input = new long[3];
        var target = new long[3];

        Assert.Equal(2, windows.WindowCount); // starts 0 and 2; start 4 would need token 8
        windows.CopyWindow(1, input, target);
        Assert.Equal([3L, 4, 5], input);
        Assert.Equal([4L, 5, 6], target);
        Assert.Throws<ArgumentOutOfRangeException>(() => windows.CopyWindow(2, input, target));
    }

    [Fact]
    public void A_text_shorter_than_a_window_gives_one_padded_window()
    {
        var windows = InMemoryTokenWindows.FromTokens([1, 2, 3], windowLength: 5);
        var input = new long[5];
        var target = new long[5];

        windows.CopyWindow(0, input, target);

        Assert.Equal([1L, 2, 3, 0, 0], input);
        Assert.Equal([2L, 3, -1, -1, -1], target); // token 3 has no next token to predict
        Assert.Throws<ArgumentException>(() => InMemoryTokenWindows.FromTokens([1], windowLength: 5));
    }

    [Fact]
    public void Window_arrays_must_agree()
    {
        Assert.Throws<ArgumentException>(() => new InMemoryTokenWindows(new long[6], new long[4], 2));
        Assert.Throws<ArgumentException>(() => new InMemoryTokenWindows(new long[5], new long[5], 2));
    }

    [Fact]
    public void The_evaluator_averages_cross_entropy_over_targets_that_are_not_ignored()
    {
        using var model = new GptModel(TrainingData.Micro, seed: 5);
        long[] tokens = [1, 2, 3, 4, 5, 6];
        var whole = new InMemoryTokenWindows(tokens[..5], tokens[1..], 5);
        var padded = new InMemoryTokenWindows([.. tokens[..5], 0, 0, 0], [.. tokens[1..], -1, -1, -1], 8);

        var a = GptEvaluator.Evaluate(model, whole);
        var b = GptEvaluator.Evaluate(model, padded);

        Assert.Equal(5, a.Tokens);
        Assert.Equal(5, b.Tokens);
        Assert.Equal(a.Loss, b.Loss, 5); // causal: padding after a position does not change its prediction
        Assert.Equal(Math.Exp(a.Loss), a.Perplexity, 9);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        model.eval();
        var logits = model.forward(tensor(tokens[..5], [1, 5]));
        var expected = nn.functional.cross_entropy(logits.view(5, -1), tensor(tokens[1..])).item<float>();
        Assert.Equal(expected, a.Loss, 5);
    }

    [Fact]
    public void The_evaluator_refuses_an_empty_set_and_an_all_ignored_one()
    {
        using var model = new GptModel(TrainingData.Micro, seed: 5);
        Assert.Throws<ArgumentException>(() => GptEvaluator.Evaluate(model, new InMemoryTokenWindows([], [], 4)));
        var error = Assert.Throws<ArgumentException>(() => GptEvaluator.Evaluate(model, new InMemoryTokenWindows([1, 2], [-1, -1], 2)));
        Assert.Contains("nothing to score", error.Message, StringComparison.Ordinal);
    }
}
