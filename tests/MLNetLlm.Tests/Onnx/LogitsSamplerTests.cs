using MLNetLlm.Generation;
using MLNetLlm.Onnx;

namespace MLNetLlm.Tests.Onnx;

public class LogitsSamplerTests
{
    private static readonly float[] Logits = [0.1f, 2.0f, 1.9f, -1f, 2.0f, 0.5f];

    [Fact]
    public void Greedy_TakesTheLargest_TheFirstAmongEquals()
    {
        var sampler = new LogitsSampler(new GenerationOptions { Greedy = true });
        Assert.Equal(1, sampler.Next(Logits));
        Assert.Equal(2, sampler.Next([0f, 1f, 3f, 3f]));
    }

    [Fact]
    public void SameSeed_SameDraws_OtherSeed_OtherDraws()
    {
        int[] Draws(int seed)
        {
            var sampler = new LogitsSampler(new GenerationOptions { Seed = (ulong)seed, Temperature = 2.0 });
            return [.. Enumerable.Range(0, 50).Select(_ => sampler.Next(Logits))];
        }
        Assert.Equal(Draws(7), Draws(7));
        Assert.NotEqual(Draws(7), Draws(8));
    }

    [Fact]
    public void TopK_KeepsOnlyTheKMostLikely_WithTies()
    {
        // k = 2: the two logits of 2.0 (ids 1 and 4) are the only candidates.
        var sampler = new LogitsSampler(new GenerationOptions { Seed = 1, TopK = 2, Temperature = 5.0 });
        var drawn = Enumerable.Range(0, 200).Select(_ => sampler.Next(Logits)).ToHashSet();
        Assert.Equal([1, 4], drawn.Order());

        // k = 1 keeps ties at the k-th logit, so both 2.0s stay.
        var one = new LogitsSampler(new GenerationOptions { Seed = 1, TopK = 1 });
        Assert.Subset(new HashSet<int> { 1, 4 }, Enumerable.Range(0, 50).Select(_ => one.Next(Logits)).ToHashSet());
    }

    [Fact]
    public void TopP_KeepsTheSmallestSetReachingP()
    {
        float[] logits = [MathF.Log(0.5f), MathF.Log(0.3f), MathF.Log(0.15f), MathF.Log(0.05f)];
        var tiny = new LogitsSampler(new GenerationOptions { Seed = 3, TopP = 1e-6 });
        Assert.All(Enumerable.Range(0, 50), _ => Assert.Equal(0, tiny.Next(logits)));

        // 0.5 + 0.3 reaches 0.7: ids 0 and 1 only, and both appear.
        var nucleus = new LogitsSampler(new GenerationOptions { Seed = 3, TopP = 0.7 });
        Assert.Equal([0, 1], Enumerable.Range(0, 300).Select(_ => nucleus.Next(logits)).ToHashSet().Order());
    }

    [Fact]
    public void Sampling_FollowsTheDistribution()
    {
        float[] logits = [MathF.Log(0.8f), MathF.Log(0.2f)];
        var sampler = new LogitsSampler(new GenerationOptions { Seed = 11 });
        int zeros = Enumerable.Range(0, 2000).Count(_ => sampler.Next(logits) == 0);
        Assert.InRange(zeros, 1500, 1700); // 1600 expected; the seed makes the count fixed
    }

    [Theory]
    [InlineData(nameof(GenerationOptions.MaxNewTokens))]
    [InlineData(nameof(GenerationOptions.Temperature))]
    [InlineData(nameof(GenerationOptions.TopK))]
    [InlineData(nameof(GenerationOptions.TopP))]
    public void Validate_NamesTheBadSetting(string setting)
    {
        var options = setting switch
        {
            nameof(GenerationOptions.MaxNewTokens) => new GenerationOptions { MaxNewTokens = -1 },
            nameof(GenerationOptions.Temperature) => new GenerationOptions { Temperature = 0 },
            nameof(GenerationOptions.TopK) => new GenerationOptions { TopK = 0 },
            _ => new GenerationOptions { TopP = 1.5 },
        };
        var error = Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
        Assert.Equal(setting, error.ParamName);
    }
}
