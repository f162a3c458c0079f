using MLNetLlm.TorchSharp.Checkpoints;


namespace MLNetLlm.TorchSharp.Tests.Persistence;

public class HuggingFaceGpt2ConfigTests
{
    [Fact]
    public void Fields_map_to_the_config_and_the_old_n_ctx_stands_in_for_n_positions()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceGpt2().WriteConfig(folder.Path, json => { json.Remove("n_positions"); json["n_ctx"] = 12; json["layer_norm_epsilon"] = 1e-6; });

        var config = HuggingFaceGpt2Config.Read(folder.Path);

        Assert.Equal(12, config.ContextLength);
        Assert.Equal(TinyHuggingFaceGpt2.Vocabulary, config.VocabularySize);
        Assert.Equal(TinyHuggingFaceGpt2.Heads, config.Heads);
        Assert.Equal(TinyHuggingFaceGpt2.Layers, config.Layers);
        Assert.Equal(1e-6, config.LayerNormEpsilon);
        Assert.True(config.TiedOutputHead);
        Assert.True(config.QkvBias);
    }

    [Theory]
    [InlineData("model_type", "\"llama\"", "another model type")]
    [InlineData("activation_function", "\"relu\"", "activation")]
    [InlineData("n_inner", "100", "MLP width")]
    [InlineData("scale_attn_by_inverse_layer_idx", "true", "inverse layer index")]
    [InlineData("n_head", "5", "cannot be built")]
    [InlineData("n_embd", "\"wide\"", "not a valid GPT-2 config")]
    public void Variants_the_model_does_not_implement_are_refused(string field, string value, string reason)
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceGpt2().WriteConfig(folder.Path, json => json[field] = System.Text.Json.Nodes.JsonNode.Parse(value));

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2Config.Read(folder.Path));
        Assert.Contains(reason, error.Message);
    }

    [Theory]
    [InlineData("{}", "lacks vocab_size, n_embd, n_layer, n_head")]                                           // would load as GPT-2 small's defaults
    [InlineData("{\"model_type\": \"bert\", \"hidden_size\": 384, \"num_hidden_layers\": 6}", "lacks vocab_size, n_embd")] // another family's fields
    public void A_config_without_the_fields_that_give_the_shape_is_refused_naming_them(string json, string message)
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), json);

        var gpt = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2Config.Read(folder.Path));
        var bert = Assert.Throws<InvalidDataException>(() => BertHuggingFaceConfig.Read(folder.Path));

        Assert.Contains(message, gpt.Message, StringComparison.Ordinal);
        Assert.Contains("is not a BERT config: it lacks vocab_size", bert.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_config_says_so()
    {
        using var folder = new TemporaryFolder();
        var error = Assert.Throws<FileNotFoundException>(() => HuggingFaceGpt2.Load(folder.Path));
        Assert.Contains("config.json", error.Message);
    }
}
