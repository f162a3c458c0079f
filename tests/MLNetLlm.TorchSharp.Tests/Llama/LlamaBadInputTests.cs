using System.Text.Json.Nodes;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Tests.Persistence;

namespace MLNetLlm.TorchSharp.Tests.Llama;

public class LlamaBadInputTests
{
    [Fact]
    public void An_unsupported_model_type_is_named_with_the_supported_ones()
    {
        using var folder = Written(config: json => json["model_type"] = "mistral");

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path));

        Assert.Contains("'mistral'", error.Message);
        Assert.Contains("llama, qwen2, qwen3", error.Message);
    }

    [Fact]
    public void Key_value_heads_that_do_not_divide_the_heads_are_refused()
    {
        using var folder = Written(config: json => json["num_key_value_heads"] = 3);

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path));

        Assert.Contains("num_key_value_heads", error.Message);
        Assert.Contains("divide the 4 attention heads", error.Message);
    }

    [Theory]
    [InlineData("yarn")]
    [InlineData("linear")]
    public void A_rope_scaling_type_we_do_not_implement_is_named(string type)
    {
        using var folder = Written(config: json => json["rope_scaling"] = new JsonObject { ["type"] = type, ["factor"] = 2.0 });

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path));

        Assert.Contains($"'{type}'", error.Message);
        Assert.Contains("llama3", error.Message);
    }

    [Fact]
    public void Another_activation_and_sliding_windows_are_refused()
    {
        using var gelu = Written(config: json => json["hidden_act"] = "gelu");
        using var sliding = Written("qwen2", config: json => json["use_sliding_window"] = true);

        Assert.Contains("hidden_act", Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(gelu.Path)).Message);
        Assert.Contains("sliding-window", Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(sliding.Path)).Message);
    }

    [Fact]
    public void A_hostile_size_is_refused_before_any_allocation()
    {
        using var folder = Written(config: json => { json["vocab_size"] = 2_000_000_000; json["hidden_size"] = 65536; json["num_attention_heads"] = 512; });

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path));

        Assert.Contains("more than the", error.Message);
    }

    [Fact]
    public void A_missing_tensor_is_named()
    {
        using var folder = Written(entries: entries => entries.RemoveAll(e => e.Name == "model.layers.1.mlp.up_proj.weight"));

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path));

        Assert.Contains("layers.1.mlp.up_proj.weight", error.Message);
    }

    [Fact]
    public void A_missing_untied_head_is_named()
    {
        using var folder = Written(entries: entries => entries.RemoveAll(e => e.Name == "lm_head.weight"));

        Assert.Contains("lm_head.weight", Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path)).Message);
    }

    [Fact]
    public void An_extra_tensor_is_named()
    {
        using var folder = Written("qwen3", entries: entries => entries.Add(SafetensorsEntry.FromSingles("model.layers.0.self_attn.q_proj.bias", new float[64], [64])));

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path));

        Assert.Contains("'model.layers.0.self_attn.q_proj.bias'", error.Message);
    }

    [Fact]
    public void The_first_wrong_shape_is_named_with_both_shapes()
    {
        using var folder = Written(entries: entries =>
        {
            int i = entries.FindIndex(e => e.Name == "model.layers.0.self_attn.k_proj.weight");
            entries[i] = SafetensorsEntry.FromSingles(entries[i].Name, new float[32 * 32], [32, 32]); // as if every head had keys
        });

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceLlama.Load(folder.Path));

        Assert.Contains("model.layers.0.self_attn.k_proj.weight has shape [32, 32]", error.Message);
        Assert.Contains("[16, 32]", error.Message);
    }

    [Fact]
    public void A_tokenizer_with_more_ids_than_the_embedding_rows_is_refused()
    {
        using var folder = Written(config: json => json["vocab_size"] = 200);

        var error = Assert.Throws<InvalidDataException>(() => LlamaFolder.Load(folder.Path));

        Assert.Contains("only 200 rows", error.Message);
    }

    private static TemporaryFolder Written(string modelType = "llama", Action<JsonObject>? config = null, Action<List<SafetensorsEntry>>? entries = null)
    {
        var folder = new TemporaryFolder();
        var checkpoint = new TinyHuggingFaceLlama(modelType);
        checkpoint.WriteConfig(folder.Path, config);
        var list = checkpoint.Entries();
        entries?.Invoke(list);
        SafetensorsWriter.Write(folder.File("model.safetensors"), list);
        TinyTokenizerJson.WriteTo(folder.Path);
        return folder;
    }
}
