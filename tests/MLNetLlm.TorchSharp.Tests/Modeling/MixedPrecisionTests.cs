using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Modeling;

public class MixedPrecisionTests
{
    [Fact]
    public void A_bf16_scope_computes_the_product_of_bf16_rounded_operands_and_keeps_fp32_gradients()
    {
        using var scope = NewDisposeScope();
        var x = randn(4, 8, generator: new Generator(1));
        var weight = randn(3, 8, generator: new Generator(2)).requires_grad_();
        var bias = randn(3, generator: new Generator(3)).requires_grad_();

        Tensor y;
        using (MixedPrecision.Use(Precision.Bf16)) y = MixedPrecision.Linear(x, weight, bias);
        y.sum().backward();

        Assert.Equal(ScalarType.BFloat16, y.dtype);
        var expected = nn.functional.linear(x.to(ScalarType.BFloat16), weight.detach().to(ScalarType.BFloat16), bias.detach().to(ScalarType.BFloat16));
        Assert.Equal(expected.to(ScalarType.Float32).data<float>().ToArray(), y.to(ScalarType.Float32).data<float>().ToArray());
        Assert.Equal(ScalarType.Float32, weight.grad!.dtype);
        Assert.Equal(ScalarType.Float32, bias.grad!.dtype);
        // d(sum y)/dW[o, i] = sum over rows of x[:, i], summed in bf16 and cast back.
        var reference = x.sum(dim: 0).unsqueeze(0).expand(3, 8).data<float>().ToArray();
        var gradient = weight.grad.data<float>().ToArray();
        for (int i = 0; i < gradient.Length; i++) Assert.Equal(reference[i], gradient[i], 0.05 * Math.Abs(reference[i]) + 0.05);
    }

    [Fact]
    public void Outside_a_scope_or_in_fp32_nothing_is_cast()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 8, generator: new Generator(1));
        var weight = randn(3, 8, generator: new Generator(2));
        var plain = nn.functional.linear(x, weight).data<float>().ToArray();

        Assert.Equal(plain, MixedPrecision.Linear(x, weight, null).data<float>().ToArray());
        using (MixedPrecision.Use(Precision.Fp32)) Assert.Equal(plain, MixedPrecision.Linear(x, weight, null).data<float>().ToArray());
        using (MixedPrecision.Use(Precision.Bf16))
        {
            using (MixedPrecision.Use(Precision.Fp32)) Assert.Equal(ScalarType.Float32, MixedPrecision.Linear(x, weight, null).dtype); // scopes nest
            Assert.Equal(ScalarType.BFloat16, MixedPrecision.Linear(x, weight, null).dtype);
        }
        Assert.Null(MixedPrecision.ComputeType);
    }

    [Fact]
    public void A_gpt_in_a_bf16_scope_gives_fp32_logits_close_to_fp32()
    {
        using var scope = NewDisposeScope();
        using var model = new GptModel(GptConfig.Tiny, seed: 1);
        model.eval();
        var ids = randint(0, GptConfig.Tiny.VocabularySize, [2, 16], generator: new Generator(1));
        using var noGrad = no_grad();
        var fp32 = model.forward(ids);
        Tensor bf16;
        using (MixedPrecision.Use(Precision.Bf16)) bf16 = model.forward(ids);

        Assert.Equal(ScalarType.Float32, bf16.dtype);
        double error = (fp32 - bf16).abs().max().item<float>(), scale = fp32.abs().max().item<float>();
        Assert.True(error > 0 && error < 0.05 * scale, $"max error {error} against max logit {scale}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_llama_in_a_bf16_scope_gives_fp32_logits_close_to_fp32(bool qkNorm)
    {
        using var scope = NewDisposeScope();
        var config = LlamaConfig.Tiny with { QkNorm = qkNorm };
        using var model = new LlamaModel(config, seed: 1);
        model.eval();
        var ids = randint(0, config.VocabularySize, [2, 16], generator: new Generator(1));
        using var noGrad = no_grad();
        var fp32 = model.forward(ids);
        Tensor bf16;
        using (MixedPrecision.Use(Precision.Bf16)) bf16 = model.forward(ids);

        Assert.Equal(ScalarType.Float32, bf16.dtype);
        double error = (fp32 - bf16).abs().max().item<float>(), scale = fp32.abs().max().item<float>();
        Assert.True(error > 0 && error < 0.05 * scale, $"max error {error} against max logit {scale}");
    }

    [Fact]
    public void A_bert_encoder_in_a_bf16_scope_gives_fp32_states_close_to_fp32_with_padding()
    {
        using var scope = NewDisposeScope();
        using var model = new BertModel(BertConfig.Tiny, seed: 1);
        model.eval();
        var ids = randint(4, BertConfig.Tiny.VocabularySize, [2, 12], generator: new Generator(1));
        var mask = ones(2, 12, ScalarType.Int64);
        mask[1, 8..] = tensor(0L);
        using var noGrad = no_grad();
        ITextBackbone backbone = model;
        var fp32 = backbone.ForwardHidden(ids, mask);
        Tensor bf16;
        using (MixedPrecision.Use(Precision.Bf16)) bf16 = backbone.ForwardHidden(ids, mask);

        Assert.Equal(ScalarType.Float32, bf16.dtype);
        double error = (fp32 - bf16).abs().max().item<float>();
        Assert.True(error is > 0 and < 0.1, $"max error {error} (states are layer-normed, of scale 1)");
    }
}
