using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

public class HuggingFaceGpt2SaveTests
{
    private static readonly GptConfig Small = new() { VocabularySize = 61, ContextLength = 16, EmbeddingSize = 32, Heads = 4, Layers = 2, Dropout = 0 };
    private static readonly int[] Ids = [1, 5, 60, 7, 7, 30];

    [Fact]
    public void An_export_stores_conv1d_weights_transposed_and_loads_back_to_the_same_logits()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 4);
        model.eval();

        HuggingFaceGpt2.Save(model, folder.Path);
        using var loaded = HuggingFaceGpt2.Load(folder.Path);

        using (var reader = SafetensorsReader.Open(folder.File("model.safetensors")))
        {
            Assert.Equal([32L, 96L], reader.GetTensor("h.0.attn.c_attn.weight").Shape);
            Assert.Equal([128L, 32L], reader.GetTensor("h.1.mlp.c_proj.weight").Shape);
            Assert.False(reader.Contains("lm_head.weight"));
        }
        Assert.Equal(Small, loaded.Config);
        Assert.Equal(LogitsAssert.Of(model, Ids), LogitsAssert.Of(loaded, Ids));
    }

    [Fact]
    public void An_exported_checkpoint_matches_the_independent_forward_pass()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 6);
        model.eval();

        HuggingFaceGpt2.Save(model, folder.Path);
        var weights = new Dictionary<string, float[]>();
        using (var reader = SafetensorsReader.Open(folder.File("model.safetensors")))
            foreach (var tensor in reader.Tensors)
            {
                var values = new float[tensor.ElementCount];
                SafetensorsFloats.ToSingle(reader.GetBytes(tensor), tensor.DType, values);
                weights[tensor.Name] = values;
            }

        LogitsAssert.Close(ReferenceGpt2Forward.Logits(weights, Small.Layers, Small.Heads, Small.LayerNormEpsilon, Ids), LogitsAssert.Of(model, Ids));
    }

    [Fact]
    public void A_sharded_export_replaces_a_single_file_and_loads_back()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small with { TiedOutputHead = false }, seed: 8);
        model.eval();
        HuggingFaceGpt2.Save(model, folder.Path);

        HuggingFaceGpt2.Save(model, folder.Path, SafetensorsDType.F32, maxShardBytes: 20_000);
        using var loaded = HuggingFaceGpt2.Load(folder.Path);

        Assert.False(File.Exists(folder.File("model.safetensors")));
        Assert.True(File.Exists(folder.File("model.safetensors.index.json")));
        Assert.True(Directory.GetFiles(folder.Path, "model-*-of-*.safetensors").Length > 2);
        Assert.Equal(LogitsAssert.Of(model, Ids), LogitsAssert.Of(loaded, Ids));
    }

    [Fact]
    public void A_bfloat16_export_is_half_the_size_and_close_to_the_original()
    {
        using var f32 = new TemporaryFolder();
        using var bf16 = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 10);
        model.eval();

        HuggingFaceGpt2.Save(model, f32.Path);
        HuggingFaceGpt2.Save(model, bf16.Path, SafetensorsDType.BF16);
        using var loaded = HuggingFaceGpt2.Load(bf16.Path);

        var full = new FileInfo(f32.File("model.safetensors")).Length;
        var half = new FileInfo(bf16.File("model.safetensors")).Length;
        Assert.InRange(half, full / 2 - 4096, full / 2 + 4096);
        LogitsAssert.Close(LogitsAssert.Of(model, Ids), LogitsAssert.Of(loaded, Ids), tolerance: 0.05);
    }
}
