using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class LlamaBackboneTests
{
    [Fact]
    public void Lora_wraps_the_seven_projections_of_every_layer_and_merges_back_to_the_same_function()
    {
        using var model = new LlamaModel(LlamaConfig.Tiny, seed: 1);
        ITextBackbone backbone = model;
        int[] ids = [1, 5, 9, 33, 2, 60];
        var before = Llama.LlamaLoadTests.Logits(model, ids);

        Lora.Apply(backbone, rank: 4, alpha: 8, seed: 2);
        Assert.Equal(7 * LlamaConfig.Tiny.Layers, model.named_parameters().Count(p => p.name.EndsWith(".lora_A")));
        using (var noGrad = no_grad())
            foreach (var (name, p) in model.named_parameters().Where(p => p.name.EndsWith(".lora_B"))) p.add_(0.05);
        var adapted = Llama.LlamaLoadTests.Logits(model, ids);
        Lora.Merge(backbone);

        Assert.NotEqual(before, adapted);
        Persistence.LogitsAssert.Close(adapted, Llama.LlamaLoadTests.Logits(model, ids));
        Assert.DoesNotContain(model.named_parameters(), p => Lora.IsAdapter(p.name));
    }

    [Fact]
    public void Layers_final_norm_and_head_are_told_apart_by_name()
    {
        using var model = new LlamaModel(LlamaConfig.Tiny with { TiedOutputHead = false }, seed: 1);
        ITextBackbone backbone = model;

        Assert.Equal(1, backbone.LayerOf("layers.1.self_attn.q_proj.weight"));
        Assert.Equal(-1, backbone.LayerOf("embed_tokens.weight"));
        Assert.True(backbone.IsFinalNorm("norm.weight"));
        Assert.True(backbone.IsOutsideHidden("lm_head.weight"));
        Assert.Equal(BackboneFamily.Llama, backbone.Family);
    }

    [Fact]
    public void Right_padding_never_changes_the_hidden_states_of_real_tokens()
    {
        using var model = new LlamaModel(LlamaConfig.Tiny, seed: 3);
        ITextBackbone backbone = model;
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();

        var alone = backbone.ForwardHidden(tensor(new long[] { 4, 8, 15 }, [1, 3]), ones(1, 3));
        var padded = backbone.ForwardHidden(tensor(new long[] { 4, 8, 15, 0, 0 }, [1, 5]), tensor(new long[] { 1, 1, 1, 0, 0 }, [1, 5]));

        Assert.True(alone.allclose(padded[.., ..3], atol: 1e-6));
    }
}
