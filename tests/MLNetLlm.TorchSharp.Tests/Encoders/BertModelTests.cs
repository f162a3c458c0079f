using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

public class BertModelTests
{
    [Fact]
    public void Parameter_names_and_shapes_are_hugging_faces_bert_model()
    {
        using var model = new BertModel(BertConfig.MiniLmL6, device: META);
        var actual = model.named_parameters().Select(p => (p.name, p.parameter.shape)).ToList();
        var expected = BertConfig.MiniLmL6.ParameterShapes().ToList();
        Assert.Equal(expected.Select(e => e.Name), actual.Select(a => a.name));
        Assert.All(expected.Zip(actual), pair => Assert.Equal(pair.First.Shape, pair.Second.shape));
        Assert.Contains("encoder.layer.5.attention.output.LayerNorm.bias", actual.Select(a => a.name));
        Assert.Equal(BertConfig.MiniLmL6.ParameterCount, model.ParameterCount);
        Assert.Equal(22_565_376, model.ParameterCount); // all-MiniLM-L6-v2's 22,713,216 less its pooler (384 x 384 + 384)
    }

    [Fact]
    public void The_same_seed_gives_the_same_model_and_the_same_hidden_states()
    {
        using var first = TinyBert.Model(seed: 5);
        using var second = TinyBert.Model(seed: 5);
        using var other = TinyBert.Model(seed: 6);
        Assert.Equal(TinyBert.Hidden(first), TinyBert.Hidden(second));
        Assert.NotEqual(TinyBert.Hidden(first), TinyBert.Hidden(other));
    }

    [Fact]
    public void Right_padding_does_not_change_the_real_tokens_states()
    {
        using var model = TinyBert.Model(seed: 1);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var alone = model.ForwardHidden(tensor(new long[] { 2, 10, 24, 26, 10, 32, 3 }, [1, 7]));         // (1, 7, C)
        var padded = tensor(new long[] { 2, 10, 24, 26, 10, 32, 3, 0, 0, 0 }, [1, 10]);
        var inBatch = model.ForwardHidden(padded, padded.ne(0).to(ScalarType.Int64)).narrow(1, 0, 7);      // (1, 7, C)
        Assert.True(alone.allclose(inBatch, rtol: 0, atol: 1e-5), $"max difference {(alone - inBatch).abs().max().item<float>()}");
        var unmasked = model.ForwardHidden(padded).narrow(1, 0, 7);
        Assert.False(alone.allclose(unmasked, rtol: 0, atol: 1e-3)); // the mask is what keeps padding out
    }

    [Fact]
    public void Segment_ids_default_to_zero_and_change_the_states_when_given()
    {
        using var model = TinyBert.Model(seed: 2);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 2, 10, 24, 3, 25, 3 }, [1, 6]);
        var zeros = zeros_like(ids);
        var pair = tensor(new long[] { 0, 0, 0, 0, 1, 1 }, [1, 6]);
        Assert.True(model.ForwardHidden(ids).allclose(model.ForwardHidden(ids, null, zeros), rtol: 0, atol: 0));
        Assert.False(model.ForwardHidden(ids).allclose(model.ForwardHidden(ids, null, pair)));
    }

    [Fact]
    public void A_row_without_any_real_token_gives_numbers_not_nan()
    {
        using var model = TinyBert.Model(seed: 3);
        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(new long[] { 2, 10, 3, 0, 0, 0 }, [2, 3]);
        var hidden = model.ForwardHidden(ids, tensor(new long[] { 1, 1, 1, 0, 0, 0 }, [2, 3]));
        Assert.False(hidden.isnan().any().item<bool>());
    }

    [Fact]
    public void Every_projection_can_be_wrapped_by_a_lora_adapter_under_its_own_name()
    {
        using var model = TinyBert.Model(seed: 4);
        var before = TinyBert.Hidden(model);
        var names = model.named_parameters().Select(p => p.name).ToList();
        using var generator = new Generator(1);

        foreach (var layer in model.Layers)
            foreach (var (name, projection) in layer.Projections.ToList())
                layer.ReplaceProjection(name, new LoraLinear((Linear)projection, rank: 2, alpha: 4, generator));

        var shapes = model.named_parameters().ToDictionary(p => p.name, p => p.parameter.shape);
        Assert.Equal(names.Order(), shapes.Keys.Where(n => !Lora.IsAdapter(n)).Order()); // base names unchanged
        Assert.Equal(2 * 6 * 2, shapes.Keys.Count(Lora.IsAdapter));                       // 2 layers × 6 projections × A, B
        Assert.Equal([2L, 32], shapes["encoder.layer.0.attention.self.query.lora_A"]);
        Assert.Equal([32L, 2], shapes["encoder.layer.1.attention.self.value.lora_B"]);
        Assert.Equal([2L, 32], shapes["encoder.layer.0.attention.output.dense.lora_A"]);
        Assert.Equal([64L, 2], shapes["encoder.layer.0.intermediate.dense.lora_B"]);
        Assert.Equal([2L, 64], shapes["encoder.layer.1.output.dense.lora_A"]);
        Assert.Equal(before, TinyBert.Hidden(model)); // lora_B starts at zero
        Assert.Throws<ArgumentException>(() => model.Layers[0].ReplaceProjection("attention.self.nothing", new LoraLinear(nn.Linear(2, 2), 1, 1)));
    }

    [Fact]
    public void Ids_outside_the_vocabulary_and_sequences_over_the_positions_are_refused()
    {
        using var model = TinyBert.Model(seed: 1);
        using var scope = NewDisposeScope();
        var tooHigh = Assert.Throws<ArgumentOutOfRangeException>(() => model.ForwardHidden(tensor(new long[] { 2, 100, 3 }, [1, 3])));
        Assert.Contains("Token id 100 is outside the vocabulary [0, 100)", tooHigh.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.ForwardHidden(tensor(new long[] { 2, -1, 3 }, [1, 3])));
        var tooLong = Assert.Throws<ArgumentException>(() => model.ForwardHidden(zeros(1, 65, ScalarType.Int64)));
        Assert.Contains("64 positions", tooLong.Message);
        Assert.Throws<ArgumentException>(() => model.ForwardHidden(zeros(1, 0, ScalarType.Int64)));
        Assert.Throws<ArgumentException>(() => model.ForwardHidden(zeros(1, 3, ScalarType.Float32)));
        Assert.Throws<ArgumentException>(() => model.ForwardHidden(zeros(1, 3, ScalarType.Int64), ones(1, 4, ScalarType.Int64)));
        var segment = Assert.Throws<ArgumentOutOfRangeException>(() => model.ForwardHidden(zeros(1, 3, ScalarType.Int64), null, full(1, 3, 2L)));
        Assert.Contains("Token type id 2", segment.Message);
    }

    [Fact]
    public void A_512_position_model_refuses_513_tokens()
    {
        using var model = new BertModel(BertConfig.Tiny with { MaxPositions = 512 }, seed: 1);
        using var scope = NewDisposeScope();
        Assert.Equal([1L, 512, 32], model.ForwardHidden(zeros(1, 512, ScalarType.Int64)).shape);
        var error = Assert.Throws<ArgumentException>(() => model.ForwardHidden(zeros(1, 513, ScalarType.Int64)));
        Assert.Contains("512 positions; got (1, 513)", error.Message);
    }

    [Theory]
    [InlineData("VocabularySize", 0)]
    [InlineData("HiddenSize", -8)]
    [InlineData("Layers", 0)]
    [InlineData("Heads", 5)]
    [InlineData("IntermediateSize", 0)]
    [InlineData("MaxPositions", 100_000)]
    [InlineData("TypeVocabularySize", 0)]
    public void Config_validation_names_the_bad_field(string field, int value)
    {
        var config = BertConfig.Tiny;
        var property = typeof(BertConfig).GetProperty(field)!;
        var copy = config with { };
        property.SetValue(copy, value);
        var error = Assert.Throws<ArgumentException>(copy.Validate);
        Assert.Contains($"BertConfig.{field}", error.Message);
        Assert.Equal(field, error.ParamName);
    }

    [Fact]
    public void Dropout_and_epsilon_are_checked_too()
    {
        Assert.Contains("HiddenDropout", Assert.Throws<ArgumentException>((BertConfig.Tiny with { HiddenDropout = 1.0 }).Validate).Message);
        Assert.Contains("AttentionDropout", Assert.Throws<ArgumentException>((BertConfig.Tiny with { AttentionDropout = -0.1 }).Validate).Message);
        Assert.Contains("LayerNormEpsilon", Assert.Throws<ArgumentException>((BertConfig.Tiny with { LayerNormEpsilon = double.NaN }).Validate).Message);
    }

    [Fact]
    public void A_hostile_config_is_refused_before_a_single_tensor_is_allocated()
    {
        // 1,000,000 × 16,384 word embedding alone is 64 GB: every field is within its own bound, the product is not.
        var hostile = BertConfig.BertBase with { VocabularySize = 1_000_000, HiddenSize = 16_384, Heads = 16, IntermediateSize = 65_536, Layers = 256 };
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();
        var error = Assert.Throws<ArgumentException>(() => new BertModel(hostile));
        Assert.Contains("more than the 500,000,000 allowed", error.Message);
        Assert.Equal(0, statistics.CreatedOutsideScopeCount + statistics.CreatedInScopeCount);
    }

    [Fact]
    public void Presets_describe_the_published_models()
    {
        Assert.Equal((384, 6, 12, 1536, 512, 30522), (BertConfig.MiniLmL6.HiddenSize, BertConfig.MiniLmL6.Layers, BertConfig.MiniLmL6.Heads,
            BertConfig.MiniLmL6.IntermediateSize, BertConfig.MiniLmL6.MaxPositions, BertConfig.MiniLmL6.VocabularySize));
        Assert.Equal(32, BertConfig.MiniLmL6.HeadSize);
        Assert.Equal(12, BertConfig.MiniLmL12.Layers);
        Assert.Equal((768, 12, 12, 3072), (BertConfig.BertBase.HiddenSize, BertConfig.BertBase.Layers, BertConfig.BertBase.Heads, BertConfig.BertBase.IntermediateSize));
        Assert.Equal(108_891_648, BertConfig.BertBase.ParameterCount); // bert-base-uncased's 109,482,240 less its pooler
        foreach (var preset in new[] { BertConfig.Tiny, BertConfig.MiniLmL6, BertConfig.MiniLmL12, BertConfig.BertBase }) preset.Validate();
        Assert.Equal(100, TinyBert.Vocabulary.Distinct().Count());
    }
}
