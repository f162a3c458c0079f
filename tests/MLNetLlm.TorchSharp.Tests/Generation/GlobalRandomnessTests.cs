using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Generation;

// torch's default CPU generator is process-wide: any test that seeds or draws from it in parallel would race this one.
[CollectionDefinition(nameof(TorchGlobalRandomness), DisableParallelization = true)]
public sealed class TorchGlobalRandomness;

[Collection(nameof(TorchGlobalRandomness))]
public class GlobalRandomnessTests
{
    [Fact]
    public void Sampling_uses_its_own_generator_and_leaves_torch_global_randomness_alone()
    {
        using var model = new GptModel(GptConfig.Tiny, seed: 1);
        var generator = new GptGenerator(model, LlmTokenizers.Gpt2());
        manual_seed(123);
        float expected = rand(1).item<float>();
        manual_seed(123);
        generator.GenerateIds([464, 3290, 318], new GenerationOptions { MaxNewTokens = 5, Seed = 1 });
        Assert.Equal(expected, rand(1).item<float>());
    }
}
