using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class LlamaLoadTests
{
    public static TheoryData<string> ModelTypes => ["llama", "qwen2", "qwen3"];

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Each_model_type_gives_the_logits_of_an_independent_forward_pass(string modelType)
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama(modelType);
        checkpoint.WriteTo(folder.Path);

        using var model = HuggingFaceLlama.Load(folder.Path);

        Assert.Equal(checkpoint.KvHeads, model.Config.KvHeads);
        Assert.Equal(checkpoint.Tied, model.Config.TiedOutputHead);
        LogitsAssert.Close(checkpoint.Reference.Logits(TinyHuggingFaceLlama.SampleIds), Logits(model, TinyHuggingFaceLlama.SampleIds));
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void Both_attention_implementations_agree(string modelType)
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama(modelType, seed: 2);
        checkpoint.WriteTo(folder.Path);
        using var model = HuggingFaceLlama.Load(folder.Path);

        model.Attention = AttentionImplementation.Explicit;

        LogitsAssert.Close(checkpoint.Reference.Logits(TinyHuggingFaceLlama.SampleIds), Logits(model, TinyHuggingFaceLlama.SampleIds));
    }

    [Theory]
    [MemberData(nameof(ModelTypes))]
    public void A_left_padded_batch_gives_each_row_the_logits_of_its_own_sequence(string modelType)
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama(modelType, seed: 5);
        checkpoint.WriteTo(folder.Path);
        using var model = HuggingFaceLlama.Load(folder.Path);
        int[] longRow = TinyHuggingFaceLlama.SampleIds, shortRow = [9, 8, 7, 250, 1, 2, 3];
        int pad = longRow.Length - shortRow.Length;

        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var ids = tensor(longRow.Concat(Enumerable.Repeat(0, pad)).Concat(shortRow).Select(i => (long)i).ToArray(), [2, longRow.Length]);
        var mask = tensor(Enumerable.Repeat(1L, longRow.Length).Concat(Enumerable.Repeat(0L, pad)).Concat(Enumerable.Repeat(1L, shortRow.Length)).ToArray(), [2, longRow.Length]);
        var logits = model.Forward(ids, mask); // (2, T, V)

        LogitsAssert.Close(checkpoint.Reference.Logits(longRow), logits[0].contiguous().data<float>().ToArray());
        LogitsAssert.Close(checkpoint.Reference.Logits(shortRow), logits[1, pad..].contiguous().data<float>().ToArray());
    }

    [Theory]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    public void Reduced_precision_files_load_into_float32(SafetensorsDType dtype)
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama("qwen3", seed: 3);
        checkpoint.RoundTo(dtype);
        checkpoint.WriteTo(folder.Path, dtype);

        using var model = HuggingFaceLlama.Load(folder.Path);

        LogitsAssert.Close(checkpoint.Reference.Logits(TinyHuggingFaceLlama.SampleIds), Logits(model, TinyHuggingFaceLlama.SampleIds));
    }

    [Fact]
    public void Sharded_weights_load_through_their_index_and_a_stored_tied_head_is_ignored()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama("qwen2", seed: 4);
        checkpoint.WriteConfig(folder.Path);
        var entries = checkpoint.Entries(SafetensorsDType.BF16);
        entries.Add(SafetensorsEntry.FromSingles("lm_head.weight", checkpoint.Weights["embed_tokens.weight"], checkpoint.Shapes["embed_tokens.weight"], SafetensorsDType.BF16));
        checkpoint.RoundTo(SafetensorsDType.BF16);
        var shards = new[] { entries.Take(entries.Count / 2).ToList(), entries.Skip(entries.Count / 2).ToList() };
        var map = new List<(string, string)>();
        for (int i = 0; i < 2; i++)
        {
            var name = $"model-0000{i + 1}-of-00002.safetensors";
            SafetensorsWriter.Write(folder.File(name), shards[i]);
            map.AddRange(shards[i].Select(e => (e.Name, name)));
        }
        SafetensorsFolder.WriteIndex(folder.Path, map, entries.Sum(e => e.ByteLength));

        using var model = HuggingFaceLlama.Load(folder.Path);

        LogitsAssert.Close(checkpoint.Reference.Logits(TinyHuggingFaceLlama.SampleIds), Logits(model, TinyHuggingFaceLlama.SampleIds));
    }

    [Fact]
    public void A_bfloat16_model_holds_the_file_values_exactly()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama("llama", seed: 6);
        checkpoint.RoundTo(SafetensorsDType.BF16);
        checkpoint.WriteTo(folder.Path, SafetensorsDType.BF16);

        using var model = HuggingFaceLlama.Load(folder.Path, dtype: ScalarType.BFloat16);
        using var scope = NewDisposeScope();

        var parameters = model.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        Assert.Equal(ScalarType.BFloat16, parameters["layers.1.self_attn.k_proj.weight"].dtype);
        Assert.Equal(checkpoint.Weights["layers.1.self_attn.k_proj.weight"], parameters["layers.1.self_attn.k_proj.weight"].to(ScalarType.Float32).data<float>().ToArray());
    }

    internal static float[] Logits(LlamaModel model, int[] ids)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var input = tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Length]);
        return model.forward(input).to(ScalarType.Float32, CPU).data<float>().ToArray();
    }
}
