using MLNetLlm.Generation;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Tests.Persistence;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class LlamaGenerationTests
{
    [Theory]
    [InlineData("llama")]
    [InlineData("qwen2")]
    [InlineData("qwen3")]
    public void Greedy_output_is_the_same_with_and_without_the_cache_for_a_batch_of_different_lengths(string modelType)
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama(modelType, seed: 9).WriteTo(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;
        var generator = new LlamaGenerator(model, tokenizer);
        int[][] prompts = [TinyHuggingFaceLlama.SampleIds, [12, 250, 3]];

        var cached = generator.GenerateIds(prompts, new GenerationOptions { Greedy = true, MaxNewTokens = 24, UseKvCache = true });
        var uncached = generator.GenerateIds(prompts, new GenerationOptions { Greedy = true, MaxNewTokens = 24, UseKvCache = false });

        Assert.Equal(uncached, cached);
        Assert.All(cached, ids => Assert.Equal(24, ids.Length));
    }

    [Fact]
    public void Greedy_tokens_are_the_argmax_of_the_reference_logits()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama("llama", seed: 10);
        checkpoint.WriteTo(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;

        var generated = new LlamaGenerator(model, tokenizer).GenerateIds(TinyHuggingFaceLlama.SampleIds, new GenerationOptions { Greedy = true, MaxNewTokens = 6 });

        var sequence = TinyHuggingFaceLlama.SampleIds.ToList();
        foreach (var id in generated)
        {
            var logits = checkpoint.Reference.Logits([.. sequence]);
            // Only the tokenizer's ids are candidates: the embedding matrix has 9 rows past them.
            var last = logits.AsSpan((sequence.Count - 1) * TinyHuggingFaceLlama.Vocabulary, TinyTokenizerJson.Size).ToArray();
            Assert.Equal(Array.IndexOf(last, last.Max()), id);
            sequence.Add(id);
        }
    }

    [Fact]
    public void A_generation_past_the_window_slides_and_matches_without_the_cache()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama("qwen2", seed: 12).WriteTo(folder.Path);
        var (model, tokenizer) = LlamaFolder.Load(folder.Path);
        using var _ = model;
        var generator = new LlamaGenerator(model, tokenizer, window: 16);

        var cached = generator.GenerateIds(TinyHuggingFaceLlama.SampleIds, new GenerationOptions { Greedy = true, MaxNewTokens = 20, UseKvCache = true });
        var uncached = generator.GenerateIds(TinyHuggingFaceLlama.SampleIds, new GenerationOptions { Greedy = true, MaxNewTokens = 20, UseKvCache = false });

        Assert.Equal(16, generator.Window);
        Assert.Equal(uncached, cached);
    }
}
