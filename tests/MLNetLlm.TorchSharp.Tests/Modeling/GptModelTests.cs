using TorchSharp;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Modeling;

public class GptModelTests
{
    private static readonly GptConfig Small = GptConfig.Tiny with { VocabularySize = 101, ContextLength = 16, EmbeddingSize = 16, Heads = 4 };

    [Fact]
    public void Gpt2_small_with_qkv_bias_and_tied_head_has_124_439_808_parameters()
    {
        using var model = new GptModel(GptConfig.Gpt2Small, META);
        Assert.Equal(124_439_808, model.ParameterCount);
    }

    [Fact]
    public void An_untied_head_adds_the_head_weight_and_no_qkv_bias_removes_the_biases()
    {
        using var tied = new GptModel(Small, META);
        using var untied = new GptModel(Small with { TiedOutputHead = false, QkvBias = false }, META);
        long qkvBiases = Small.Layers * 3L * Small.EmbeddingSize;
        Assert.Equal(tied.ParameterCount + (long)Small.VocabularySize * Small.EmbeddingSize - qkvBiases, untied.ParameterCount);
    }

    [Fact]
    public void State_dict_names_and_shapes_match_the_gpt2_checkpoint_layout()
    {
        using var model = new GptModel(Small with { Layers = 1 }, META);
        var shapes = model.state_dict().ToDictionary(p => p.Key, p => p.Value.shape);
        var expected = new Dictionary<string, long[]>
        {
            ["wte.weight"] = [101, 16], ["wpe.weight"] = [16, 16],
            ["h.0.ln_1.weight"] = [16], ["h.0.ln_1.bias"] = [16],
            ["h.0.attn.c_attn.weight"] = [48, 16], ["h.0.attn.c_attn.bias"] = [48],
            ["h.0.attn.c_proj.weight"] = [16, 16], ["h.0.attn.c_proj.bias"] = [16],
            ["h.0.ln_2.weight"] = [16], ["h.0.ln_2.bias"] = [16],
            ["h.0.mlp.c_fc.weight"] = [64, 16], ["h.0.mlp.c_fc.bias"] = [64],
            ["h.0.mlp.c_proj.weight"] = [16, 64], ["h.0.mlp.c_proj.bias"] = [16],
            ["ln_f.weight"] = [16], ["ln_f.bias"] = [16],
        };
        Assert.Equal(expected.Keys.Order(), shapes.Keys.Order());
        foreach (var (name, shape) in expected) Assert.Equal(shape, shapes[name]);

        using var untied = new GptModel(Small with { Layers = 1, TiedOutputHead = false, QkvBias = false }, META);
        var names = untied.state_dict().Keys.ToHashSet();
        Assert.Contains("lm_head.weight", names);
        Assert.DoesNotContain("h.0.attn.c_attn.bias", names);
        Assert.DoesNotContain("lm_head.bias", names);
    }

    [Fact]
    public void Initialisation_follows_gpt2_normal_002_with_scaled_residual_projections()
    {
        var config = GptConfig.Tiny with { EmbeddingSize = 128, Heads = 4, Layers = 8 };
        using var model = new GptModel(config, seed: 3);
        var p = model.state_dict();
        Assert.Equal(0.02, p["wte.weight"].std().item<float>(), 0.001);
        Assert.Equal(0.02 / Math.Sqrt(16), p["h.0.attn.c_proj.weight"].std().item<float>(), 0.0005);
        Assert.Equal(0.02 / Math.Sqrt(16), p["h.3.mlp.c_proj.weight"].std().item<float>(), 0.0005);
        Assert.Equal(0.0, p["h.0.attn.c_attn.bias"].abs().max().item<float>());
        Assert.Equal(1.0, p["h.0.ln_1.weight"].min().item<float>());
        using (no_grad()) model.TokenEmbedding[0, 0] = tensor(5f);
        Assert.Equal(5f, model.OutputWeight[0, 0].item<float>()); // tied: one tensor, not a copy
    }

    [Fact]
    public void The_same_seed_builds_the_same_weights()
    {
        using var a = new GptModel(Small, seed: 11);
        using var b = new GptModel(Small, seed: 11);
        using var c = new GptModel(Small, seed: 12);
        Assert.True(a.TokenEmbedding.eq(b.TokenEmbedding).all().item<bool>());
        Assert.False(a.TokenEmbedding.eq(c.TokenEmbedding).all().item<bool>());
    }

    [Fact]
    public void Changing_a_later_token_does_not_change_earlier_logits()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(Small, seed: 1);
        model.eval();
        foreach (var attention in new[] { AttentionImplementation.ScaledDotProduct, AttentionImplementation.Explicit })
        {
            model.Attention = attention;
            var ids = tensor(new long[] { 5, 17, 42, 8, 99, 3 }).unsqueeze(0);
            var changed = ids.clone();
            changed[0, 4] = tensor(7L);
            var before = model.forward(ids);
            var after = model.forward(changed);
            Assert.True(before[.., ..4].allclose(after[.., ..4], rtol: 0, atol: 1e-6), attention.ToString());
            Assert.False(before[.., 4].allclose(after[.., 4], rtol: 0, atol: 1e-6), attention.ToString());
        }
    }

    [Fact]
    public void Scaled_dot_product_attention_agrees_with_the_explicit_softmax()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(Small, seed: 2);
        model.eval();
        var ids = randint(0, Small.VocabularySize, [3, 12], generator: new Generator(5));
        var mask = ones(3, 12, ScalarType.Bool);
        mask[1, ..4] = tensor(false); // left padding in one row exercises the explicit-mask path too

        model.Attention = AttentionImplementation.ScaledDotProduct;
        var fused = model.forward(ids);
        var fusedPadded = model.Forward(ids, mask);
        model.Attention = AttentionImplementation.Explicit;
        var explicitLogits = model.forward(ids);
        var explicitPadded = model.Forward(ids, mask);

        Assert.True(fused.allclose(explicitLogits, rtol: 1e-4, atol: 1e-5));
        Assert.True(fusedPadded.allclose(explicitPadded, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Left_padding_gives_the_real_tokens_the_logits_they_have_alone()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(Small, seed: 4);
        model.eval();
        var alone = model.forward(tensor(new long[] { 9, 8, 7 }).unsqueeze(0));
        var padded = model.Forward(tensor(new long[] { 0, 0, 9, 8, 7 }).unsqueeze(0), tensor(new long[] { 0, 0, 1, 1, 1 }).unsqueeze(0));
        Assert.True(alone.allclose(padded[.., 2..], rtol: 1e-4, atol: 1e-5));
        Assert.False(padded.isnan().any().item<bool>());
    }

    [Fact]
    public void A_kv_cache_gives_the_logits_of_the_full_sequence_one_token_at_a_time()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(Small, seed: 5);
        model.eval();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 4, 8, 15, 16, 23, 42 }).unsqueeze(0);
        var full = model.forward(ids);
        using var cache = model.CreateCache(1);
        var prefix = model.Forward(ids[.., ..2], cache: cache);
        var steps = Enumerable.Range(2, 4).Select(t => model.Forward(ids[.., t..(t + 1)], cache: cache)).ToList();
        var cached = cat([prefix, .. steps], 1);
        Assert.Equal(6, cache.Length);
        Assert.True(full.allclose(cached, rtol: 1e-4, atol: 1e-5));
    }

    [Fact]
    public void Forward_hidden_feeds_the_head()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(Small, seed: 6);
        var ids = tensor(new long[] { 1, 2, 3 }).unsqueeze(0);
        var hidden = model.ForwardHidden(ids);
        Assert.Equal(new long[] { 1, 3, 16 }, hidden.shape);
        Assert.True(model.Head(hidden).allclose(model.forward(ids)));
    }

    [Fact]
    public void Bad_ids_are_rejected_with_clear_errors()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(Small, seed: 7);
        var tooLong = Assert.Throws<ArgumentException>(() => model.forward(zeros(1, 17, ScalarType.Int64)));
        Assert.Contains("context length 16", tooLong.Message);
        Assert.Throws<ArgumentException>(() => model.forward(zeros(1, 0, ScalarType.Int64)));
        var outside = Assert.Throws<ArgumentOutOfRangeException>(() => model.forward(tensor(new long[] { 3, 101 }).unsqueeze(0)));
        Assert.Contains("101", outside.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.forward(tensor(new long[] { -1 }).unsqueeze(0)));
        using var cache = model.CreateCache(1);
        model.Forward(zeros(1, 16, ScalarType.Int64), cache: cache);
        Assert.Throws<InvalidOperationException>(() => model.Forward(zeros(1, 1, ScalarType.Int64), cache: cache));
    }

    [Fact]
    public void A_bfloat16_model_computes_logits_close_to_float32()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(Small, seed: 8);
        model.eval();
        var ids = tensor(new long[] { 10, 20, 30, 40 }).unsqueeze(0);
        var full = model.forward(ids);
        model.to(ScalarType.BFloat16);
        Assert.Equal(ScalarType.BFloat16, model.Dtype);
        var half = model.forward(ids);
        Assert.Equal(ScalarType.BFloat16, half.dtype);
        Assert.True(full.allclose(half.to(ScalarType.Float32), rtol: 0.05, atol: 0.05));
    }
}
