using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

public class HuggingFaceGpt2LoadTests
{
    [Fact]
    public void A_tiny_checkpoint_gives_the_logits_of_an_independent_forward_pass()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2();
        checkpoint.WriteTo(folder.Path);

        using var model = HuggingFaceGpt2.Load(folder.Path);

        Assert.Equal(TinyHuggingFaceGpt2.Width, model.Config.EmbeddingSize);
        Assert.True(model.Config.TiedOutputHead);
        LogitsAssert.Close(checkpoint.ReferenceLogits(), LogitsAssert.Of(model, TinyHuggingFaceGpt2.SampleIds));
    }

    [Fact]
    public void The_transformer_prefix_old_attention_buffers_and_a_stored_tied_head_are_handled()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2(seed: 11);
        checkpoint.WriteConfig(folder.Path);
        var entries = checkpoint.Entries(prefix: "transformer.", withBuffers: true);
        // Some exports store the tied head as well; it is the same matrix as wte.
        entries.Add(SafetensorsEntry.FromSingles("lm_head.weight", checkpoint.Weights["wte.weight"], checkpoint.Shapes["wte.weight"]));
        SafetensorsWriter.Write(folder.File("model.safetensors"), entries);

        using var model = HuggingFaceGpt2.Load(folder.Path);

        LogitsAssert.Close(checkpoint.ReferenceLogits(), LogitsAssert.Of(model, TinyHuggingFaceGpt2.SampleIds));
    }

    [Theory]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    [InlineData(SafetensorsDType.F64)]
    public void Reduced_and_double_precision_files_load_into_float32(SafetensorsDType dtype)
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2(seed: 3);
        checkpoint.RoundTo(dtype);
        checkpoint.WriteTo(folder.Path, dtype);

        using var model = HuggingFaceGpt2.Load(folder.Path);

        LogitsAssert.Close(checkpoint.ReferenceLogits(), LogitsAssert.Of(model, TinyHuggingFaceGpt2.SampleIds));
    }

    [Fact]
    public void A_bfloat16_file_loads_exactly_into_a_bfloat16_model()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2(seed: 13);
        checkpoint.RoundTo(SafetensorsDType.BF16);
        checkpoint.WriteTo(folder.Path, SafetensorsDType.BF16);

        using var model = HuggingFaceGpt2.Load(folder.Path, dtype: ScalarType.BFloat16);
        using var scope = NewDisposeScope();

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(ScalarType.BFloat16, parameters["wte.weight"].dtype);
        Assert.Equal(checkpoint.Weights["wte.weight"], parameters["wte.weight"].to(ScalarType.Float32).data<float>().ToArray());
        // Conv1D [in, out] in the file, Linear [out, in] in the model.
        Assert.Equal(checkpoint.Weights["h.1.attn.c_attn.weight"], parameters["h.1.attn.c_attn.weight"].t().contiguous().to(ScalarType.Float32).data<float>().ToArray());
    }

    [Fact]
    public void Sharded_weights_load_through_their_index()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2(seed: 5);
        checkpoint.WriteConfig(folder.Path);
        var entries = checkpoint.Entries();
        var first = entries.Take(entries.Count / 2).ToList();
        var second = entries.Skip(entries.Count / 2).ToList();
        SafetensorsWriter.Write(folder.File("model-00001-of-00002.safetensors"), first);
        SafetensorsWriter.Write(folder.File("model-00002-of-00002.safetensors"), second);
        SafetensorsFolder.WriteIndex(folder.Path,
            first.Select(e => (e.Name, "model-00001-of-00002.safetensors")).Concat(second.Select(e => (e.Name, "model-00002-of-00002.safetensors"))),
            entries.Sum(e => e.ByteLength));

        using var model = HuggingFaceGpt2.Load(folder.Path);

        LogitsAssert.Close(checkpoint.ReferenceLogits(), LogitsAssert.Of(model, TinyHuggingFaceGpt2.SampleIds));
    }

    [Fact]
    public void An_untied_checkpoint_uses_its_own_head()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2(seed: 9, tied: false);
        checkpoint.WriteTo(folder.Path, prefix: "transformer.");

        using var model = HuggingFaceGpt2.Load(folder.Path);

        Assert.False(model.Config.TiedOutputHead);
        LogitsAssert.Close(checkpoint.ReferenceLogits(), LogitsAssert.Of(model, TinyHuggingFaceGpt2.SampleIds));
    }

    [Fact]
    public void An_untied_checkpoint_without_its_head_names_the_missing_tensor()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2(tied: false);
        checkpoint.WriteConfig(folder.Path);
        SafetensorsWriter.Write(folder.File("model.safetensors"), checkpoint.Entries().Where(e => e.Name != "lm_head.weight").ToList());

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(folder.Path));
        Assert.Contains("no tensor for the model's parameter 'lm_head.weight'", error.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2();
        checkpoint.WriteConfig(folder.Path);
        SafetensorsWriter.Write(folder.File("model.safetensors"), checkpoint.Entries().Where(e => e.Name != "h.1.mlp.c_fc.bias").ToList());

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(folder.Path));
        Assert.Contains("no tensor for the model's parameter 'h.1.mlp.c_fc.bias'", error.Message);
    }

    [Fact]
    public void A_weight_in_linear_instead_of_conv1d_layout_is_named_with_both_shapes()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2();
        checkpoint.WriteConfig(folder.Path);
        var entries = checkpoint.Entries()
            .Select(e => e.Name != "h.1.mlp.c_fc.weight" ? e
                : SafetensorsEntry.FromSingles(e.Name, checkpoint.Weights[e.Name], [4 * TinyHuggingFaceGpt2.Width, TinyHuggingFaceGpt2.Width]))
            .ToList();
        SafetensorsWriter.Write(folder.File("model.safetensors"), entries);

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(folder.Path));
        Assert.Contains("h.1.mlp.c_fc.weight has shape [128, 32] in the checkpoint, the model expects [32, 128]", error.Message);
    }

    [Fact]
    public void An_integer_weight_is_refused_naming_its_dtype()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2();
        checkpoint.WriteConfig(folder.Path);
        var entries = checkpoint.Entries()
            .Select(e => e.Name == "ln_f.bias" ? new SafetensorsEntry(e.Name, SafetensorsDType.I32, e.Shape, s => s.Write(new byte[4 * TinyHuggingFaceGpt2.Width])) : e)
            .ToList();
        SafetensorsWriter.Write(folder.File("model.safetensors"), entries);

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(folder.Path));
        Assert.Contains("ln_f.bias has dtype I32", error.Message);
    }

    [Fact]
    public void A_tensor_the_model_does_not_have_is_named()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2();
        checkpoint.WriteConfig(folder.Path);
        var entries = checkpoint.Entries();
        entries.Add(SafetensorsEntry.FromSingles("h.2.ln_1.weight", new float[TinyHuggingFaceGpt2.Width], [TinyHuggingFaceGpt2.Width]));
        SafetensorsWriter.Write(folder.File("model.safetensors"), entries);

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(folder.Path));
        Assert.Contains("has tensor 'h.2.ln_1.weight', which the model does not have", error.Message);
    }

    [Fact]
    public void A_truncated_weights_file_is_a_clear_error()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceGpt2().WriteTo(folder.Path);
        var path = folder.File("model.safetensors");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length - 100)]);

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(folder.Path));
        Assert.Contains("truncated", error.Message);
        Assert.Contains("ln_f", error.Message);
    }

    [Fact]
    public void Loading_a_mismatched_checkpoint_into_a_model_leaves_it_unchanged()
    {
        using var good = new TemporaryFolder();
        using var bad = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceGpt2();
        checkpoint.WriteTo(good.Path);
        checkpoint.WriteConfig(bad.Path);
        SafetensorsWriter.Write(bad.File("model.safetensors"), new TinyHuggingFaceGpt2(seed: 99).Entries().Where(e => e.Name != "ln_f.bias").ToList());
        using var model = HuggingFaceGpt2.Load(good.Path);
        var before = LogitsAssert.Of(model, TinyHuggingFaceGpt2.SampleIds);

        Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.LoadWeights(model, bad.Path));

        Assert.Equal(before, LogitsAssert.Of(model, TinyHuggingFaceGpt2.SampleIds));
    }
}
