using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Generation;

public class GptGeneratorTests
{
    private static readonly LlmTokenizer Tokenizer = LlmTokenizers.Gpt2();
    private static readonly GenerationOptions Greedy = new() { Greedy = true, MaxNewTokens = 12, StopAtEndOfText = false };
    private static readonly int[] ShortPrompt = [464, 3290, 318];
    private static readonly int[] LongPrompt = [40, 1842, 257, 1310, 286, 1327, 11, 290, 262];

    private static GptGenerator Create(out GptModel model, ulong seed = 1, GptConfig? config = null)
    {
        model = new GptModel(config ?? GptConfig.Tiny, seed: seed);
        return new GptGenerator(model, Tokenizer);
    }

    [Fact]
    public void Greedy_output_with_the_kv_cache_equals_output_without_it_token_for_token()
    {
        var generator = Create(out var model);
        using var _ = model;
        var options = Greedy with { MaxNewTokens = 40 };
        var cached = generator.GenerateIds(LongPrompt, options);
        var uncached = generator.GenerateIds(LongPrompt, options with { UseKvCache = false });
        Assert.Equal(40, cached.Length);
        Assert.Equal(uncached, cached);
    }

    [Fact]
    public void A_batch_of_prompts_of_different_lengths_gives_each_prompt_its_own_greedy_output_with_and_without_cache()
    {
        var generator = Create(out var model, seed: 2);
        using var _ = model;
        IReadOnlyList<IReadOnlyList<int>> prompts = [ShortPrompt, LongPrompt, [50256]];
        var alone = prompts.Select(p => generator.GenerateIds(p, Greedy)).ToArray();
        Assert.Equal(alone, generator.GenerateIds(prompts, Greedy));
        Assert.Equal(alone, generator.GenerateIds(prompts, Greedy with { UseKvCache = false }));
    }

    [Fact]
    public void Past_the_context_the_window_slides_the_same_way_with_and_without_cache()
    {
        var generator = Create(out var model, seed: 3);
        using var _ = model;
        var options = Greedy with { MaxNewTokens = 150 }; // context 64: the window slides several times
        IReadOnlyList<IReadOnlyList<int>> prompts = [ShortPrompt, LongPrompt];
        var cached = generator.GenerateIds(prompts, options);
        Assert.Equal(generator.GenerateIds(prompts, options with { UseKvCache = false }), cached);
        Assert.All(cached, ids => Assert.Equal(150, ids.Length));
    }

    [Fact]
    public void A_bfloat16_model_generates_with_the_cache_like_without_it()
    {
        using var model = new GptModel(GptConfig.Tiny, dtype: ScalarType.BFloat16, seed: 1);
        var generator = new GptGenerator(model, Tokenizer);
        var cached = generator.GenerateIds([ShortPrompt, LongPrompt], Greedy);
        Assert.All(cached, ids => Assert.Equal(Greedy.MaxNewTokens, ids.Length));
        Assert.All(cached.SelectMany(ids => ids), id => Assert.InRange(id, 0, GptConfig.Tiny.VocabularySize - 1));
        Assert.Equal(generator.GenerateIds([ShortPrompt, LongPrompt], Greedy with { UseKvCache = false }), cached);
    }

    [Fact]
    public void With_context_overflow_error_generation_past_the_context_throws()
    {
        var generator = Create(out var model);
        using var _ = model;
        var options = Greedy with { MaxNewTokens = 64 - LongPrompt.Length + 2, ContextOverflow = ContextOverflow.Error };
        var error = Assert.Throws<InvalidOperationException>(() => generator.GenerateIds(LongPrompt, options));
        Assert.Contains("context length 64", error.Message);
        Assert.Equal(64 - LongPrompt.Length + 1, generator.GenerateIds(LongPrompt, options with { MaxNewTokens = 64 - LongPrompt.Length + 1 }).Length);
    }

    [Fact]
    public void Seeded_sampling_reproduces_the_recorded_tokens_for_each_model_variant()
    {
        var options = new GenerationOptions { MaxNewTokens = 10, Temperature = 0.8, TopK = 200, TopP = 0.95, Seed = 42 };
        var generator = Create(out var tied, seed: 7);
        using (tied) Assert.Equal(RecordedTied, generator.GenerateIds(ShortPrompt, options));
        var untiedGenerator = Create(out var untied, seed: 7, GptConfig.Tiny with { TiedOutputHead = false, QkvBias = false });
        using (untied) Assert.Equal(RecordedUntied, untiedGenerator.GenerateIds(ShortPrompt, options));
    }

    // Recorded on linux-x64 with TorchSharp 0.107 (libtorch 2.10, CPU); a change here means the model, its
    // initialisation or the sampler changed.
    private static readonly int[] RecordedTied = [15464, 38935, 47155, 13840, 3268, 13889, 13527, 29511, 35747, 48789];
    private static readonly int[] RecordedUntied = [38854, 22412, 43864, 2683, 13929, 18331, 17541, 41283, 36818, 23591];

    [Fact]
    public void The_same_seed_samples_the_same_tokens_and_another_seed_other_tokens()
    {
        var generator = Create(out var model);
        using var _ = model;
        var options = new GenerationOptions { MaxNewTokens = 20, Seed = 5, StopAtEndOfText = false };
        var first = generator.GenerateIds(ShortPrompt, options);
        Assert.Equal(first, generator.GenerateIds(ShortPrompt, options));
        Assert.NotEqual(first, generator.GenerateIds(ShortPrompt, options with { Seed = 6 }));
    }

    [Fact]
    public void Top_k_of_one_and_a_tiny_top_p_both_reduce_to_greedy()
    {
        var generator = Create(out var model, seed: 4);
        using var _ = model;
        var greedy = generator.GenerateIds(ShortPrompt, Greedy);
        var sampled = new GenerationOptions { MaxNewTokens = 12, StopAtEndOfText = false, Seed = 9, Temperature = 1.5 };
        Assert.Equal(greedy, generator.GenerateIds(ShortPrompt, sampled with { TopK = 1 }));
        Assert.Equal(greedy, generator.GenerateIds(ShortPrompt, sampled with { TopP = 1e-9 }));
    }

    [Fact]
    public void A_stop_token_ends_generation_and_is_left_out()
    {
        var generator = Create(out var model, seed: 5);
        using var _ = model;
        var full = generator.GenerateIds(ShortPrompt, Greedy);
        int stop = full[3], first = Array.IndexOf(full, stop);
        Assert.Equal(full[..first], generator.GenerateIds(ShortPrompt, Greedy with { StopTokens = [stop] }));
        Assert.Empty(generator.GenerateIds(ShortPrompt, Greedy with { MaxNewTokens = 0 }));
    }

    [Fact]
    public void Rows_of_a_batch_stop_independently()
    {
        var generator = Create(out var model, seed: 5);
        using var _ = model;
        var full = generator.GenerateIds(ShortPrompt, Greedy);
        var other = generator.GenerateIds(LongPrompt, Greedy);
        int stop = full[3];
        var batch = generator.GenerateIds([ShortPrompt, LongPrompt], Greedy with { StopTokens = [stop] });
        Assert.Equal(full[..Array.IndexOf(full, stop)], batch[0]);
        Assert.Equal(other.Contains(stop) ? other[..Array.IndexOf(other, stop)] : other, batch[1]);
    }

    [Fact]
    public void Bad_input_gets_a_clear_error()
    {
        var generator = Create(out var model);
        using var _ = model;
        var tooLong = Assert.Throws<ArgumentException>(() => generator.GenerateIds(Enumerable.Repeat(11, 65).ToArray()));
        Assert.Contains("context length is 64", tooLong.Message);
        Assert.Contains("empty", Assert.Throws<ArgumentException>(() => generator.GenerateIds(Array.Empty<int>())).Message);
        Assert.Contains("50257", Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds([1, 50257])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds([-1]));
        foreach (var temperature in new[] { 0.0, -1.0, double.NaN })
            Assert.Equal("Temperature", Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds(ShortPrompt, new GenerationOptions { Temperature = temperature })).ParamName);
        foreach (var topP in new[] { 0.0, -0.1, 1.5, double.NaN })
            Assert.Equal("TopP", Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds(ShortPrompt, new GenerationOptions { TopP = topP })).ParamName);
        Assert.Equal("TopK", Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds(ShortPrompt, new GenerationOptions { TopK = 0 })).ParamName);
        Assert.Equal("MaxNewTokens", Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds(ShortPrompt, new GenerationOptions { MaxNewTokens = -1 })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => generator.GenerateIds(ShortPrompt, Greedy with { StopTokens = [60000] }));
        Assert.Throws<ArgumentException>(() => generator.GenerateIds(Array.Empty<IReadOnlyList<int>>()));
    }

    [Fact]
    public void An_empty_text_prompt_starts_from_the_end_of_text_token()
    {
        var generator = Create(out var model);
        using var _ = model;
        var options = Greedy with { MaxNewTokens = 5 };
        Assert.Equal(Tokenizer.Decode(generator.GenerateIds([50256], options)), generator.Generate("", options));
    }

    [Fact]
    public void Generation_restores_the_training_mode_of_the_model()
    {
        var generator = Create(out var model);
        using var _ = model;
        model.train();
        generator.GenerateIds(ShortPrompt, Greedy with { MaxNewTokens = 2 });
        Assert.True(model.training);
    }

    [Fact]
    public async Task Streamed_pieces_concatenate_to_the_generated_text()
    {
        var generator = Create(out var model, seed: 6);
        using var _ = model;
        var options = new GenerationOptions { MaxNewTokens = 30, Seed = 3, StopAtEndOfText = false };
        var pieces = new List<string>();
        await foreach (var piece in generator.StreamAsync("Once upon a time", options)) pieces.Add(piece);
        Assert.True(pieces.Count > 1);
        Assert.Equal(generator.Generate("Once upon a time", options), string.Concat(pieces));
    }

    [Fact]
    public async Task Streaming_stops_when_cancelled()
    {
        var generator = Create(out var model);
        using var _ = model;
        using var cancellation = new CancellationTokenSource();
        var pieces = 0;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var piece in generator.StreamAsync("Hello", Greedy with { MaxNewTokens = 1000 }, cancellation.Token))
                if (++pieces == 3) cancellation.Cancel();
        });
        Assert.Equal(3, pieces);
    }
}
