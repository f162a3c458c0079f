using MLNetLlm.Generation;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.Generation;

// Resident memory is per process: run alone, not beside other tests that allocate.
[CollectionDefinition(nameof(GenerationMemoryTests), DisableParallelization = true)]
public class GenerationMemoryCollection;

[Collection(nameof(GenerationMemoryTests))]
public class GenerationMemoryTests
{
    [Fact]
    public void Generating_10000_tokens_keeps_live_tensors_and_resident_memory_flat()
    {
        var config = GptConfig.Tiny with { VocabularySize = 512 }; // a small head keeps 10,000 steps quick
        using var model = new GptModel(config, seed: 1);
        var options = new GenerationOptions { MaxNewTokens = 10_000, Seed = 1, TopK = 50, StopAtEndOfText = false };
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var live = new List<long>();
        var resident = new List<long>();

        int steps = 0;
        foreach (var _ in GenerationLoop.Run(model, [[46, 329]], options, new HashSet<int>(), model.Config.ContextLength))
        {
            if (++steps % 1000 != 0) continue;
            live.Add(statistics.ThreadTotalLiveCount);
            GC.Collect(); // managed garbage (small arrays per step) is not what this test is about
            GC.WaitForPendingFinalizers();
            resident.Add(Environment.WorkingSet);
        }

        Assert.Equal(10_000, steps);
        Assert.All(live, count => Assert.Equal(live[0], count)); // only the preallocated KV cache lives across steps
        Assert.True(live[0] <= 2 * config.Layers + 2, $"{live[0]} tensors live during generation");
        Assert.Equal(0, statistics.ThreadTotalLiveCount);           // and it is freed at the end
        long growth = resident[^1] - resident[0];
        Assert.True(growth < 16 << 20, $"resident memory grew by {growth >> 20} MB between token 1,000 and 10,000");
    }
}
