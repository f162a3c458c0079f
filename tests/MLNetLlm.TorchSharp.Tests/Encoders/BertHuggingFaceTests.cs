using MLNetLlm.TorchSharp.Embeddings;
using System.Text.Json.Nodes;
using MLNetLlm.Embeddings;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using TorchSharp;

namespace MLNetLlm.TorchSharp.Tests.Encoders;

public class BertHuggingFaceTests
{
    [Theory]
    [InlineData("", false)]
    [InlineData("bert.", true)]
    public void A_folder_written_with_hugging_face_names_loads_to_identical_outputs(string prefix, bool withExtras)
    {
        using var folder = new EncoderFolder();
        using var original = TinyBert.Model(seed: 21);
        TinyBert.WriteFolder(original, folder.Path, prefix, withExtras);

        using var loaded = BertHuggingFace.Load(folder.Path);

        Assert.Equal(original.Config, loaded.Config with { HiddenDropout = 0, AttentionDropout = 0 });
        Assert.Equal(0.1, loaded.Config.HiddenDropout);
        Assert.Equal(TinyBert.Hidden(original), TinyBert.Hidden(loaded));
    }

    [Fact]
    public void Sharded_weights_load_through_their_index()
    {
        using var folder = new EncoderFolder();
        using var original = TinyBert.Model(seed: 22);
        TinyBert.WriteFolder(original, folder.Path);
        File.Delete(folder.File("model.safetensors"));
        var tensors = TinyBert.Tensors(original);
        var halves = new[] { tensors.Take(tensors.Count / 2).ToList(), tensors.Skip(tensors.Count / 2).ToList() };
        var map = new List<(string, string)>();
        for (int i = 0; i < 2; i++)
        {
            var shard = $"model-{i + 1:D5}-of-00002.safetensors";
            SafetensorsWriter.Write(folder.File(shard), [.. halves[i].Select(t => SafetensorsEntry.FromSingles(t.Name, t.Values, t.Shape))]);
            map.AddRange(halves[i].Select(t => (t.Name, shard)));
        }
        SafetensorsFolder.WriteIndex(folder.Path, map, totalSize: 0);

        using var loaded = BertHuggingFace.Load(folder.Path);

        Assert.Equal(TinyBert.Hidden(original), TinyBert.Hidden(loaded));
    }

    [Fact]
    public void Save_then_load_gives_the_same_model()
    {
        using var folder = new EncoderFolder();
        using var original = TinyBert.Model(seed: 23);
        BertHuggingFace.Save(original, folder.Path);
        File.WriteAllLines(folder.File("vocab.txt"), TinyBert.Vocabulary);

        using var loaded = BertHuggingFace.Load(folder.Path);

        Assert.Equal(original.Config, loaded.Config);
        Assert.Equal(TinyBert.Hidden(original), TinyBert.Hidden(loaded));
        Assert.Equal(100, BertHuggingFace.LoadTokenizer(folder.Path).VocabularySize);
    }

    [Fact]
    public void A_config_that_disagrees_with_the_weights_is_named_before_anything_is_allocated()
    {
        using var folder = new EncoderFolder();
        using (var original = TinyBert.Model(seed: 24))
            TinyBert.WriteFolder(original, folder.Path, editConfig: config => config["intermediate_size"] = 96);
        var statistics = DisposeScopeManager.Statistics;
        statistics.Reset();

        var error = Assert.Throws<InvalidDataException>(() => BertHuggingFace.Load(folder.Path));

        Assert.Contains("'encoder.layer.0.intermediate.dense.weight' has shape [64, 32]", error.Message);
        Assert.Contains("implies [96, 32]", error.Message);
        Assert.Equal(0, statistics.CreatedOutsideScopeCount + statistics.CreatedInScopeCount); // no model was built
    }

    [Fact]
    public void Fewer_layers_in_the_weights_than_in_the_config_name_the_missing_tensor()
    {
        using var folder = new EncoderFolder();
        using (var original = TinyBert.Model(seed: 25))
            TinyBert.WriteFolder(original, folder.Path, editConfig: config => config["num_hidden_layers"] = 3);
        var error = Assert.Throws<InvalidDataException>(() => BertHuggingFace.Load(folder.Path));
        Assert.Contains("no tensor 'encoder.layer.2.attention.self.query.weight'", error.Message);
    }

    [Fact]
    public void A_tensor_the_encoder_does_not_have_is_named()
    {
        using var folder = new EncoderFolder();
        using var original = TinyBert.Model(seed: 26);
        TinyBert.WriteFolder(original, folder.Path);
        var entries = TinyBert.Tensors(original).Select(t => SafetensorsEntry.FromSingles(t.Name, t.Values, t.Shape)).ToList();
        entries.Add(SafetensorsEntry.FromSingles("encoder.layer.0.attention.self.relative_bias", new float[4], [4]));
        SafetensorsWriter.Write(folder.File("model.safetensors"), entries);

        var error = Assert.Throws<InvalidDataException>(() => BertHuggingFace.Load(folder.Path));
        Assert.Contains("'encoder.layer.0.attention.self.relative_bias'", error.Message);
    }

    [Theory]
    [InlineData("hidden_act", "\"relu\"", "activation")]
    [InlineData("model_type", "\"gpt2\"", "another model type")]
    [InlineData("position_embedding_type", "\"relative_key\"", "relative positions")]
    [InlineData("is_decoder", "true", "decoder")]
    [InlineData("num_attention_heads", "5", "BertConfig.Heads")]
    [InlineData("vocab_size", "\"many\"", "not a valid BERT config")]
    public void Configs_the_model_does_not_compute_are_refused(string field, string json, string expected)
    {
        using var folder = new EncoderFolder();
        using (var original = TinyBert.Model(seed: 27))
            TinyBert.WriteFolder(original, folder.Path, editConfig: config => config[field] = JsonNode.Parse(json));
        var error = Assert.Throws<InvalidDataException>(() => BertHuggingFace.Load(folder.Path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void A_vocabulary_that_does_not_fit_the_config_is_refused()
    {
        using var folder = new EncoderFolder();
        using (var original = TinyBert.Model(seed: 28))
            TinyBert.WriteFolder(original, folder.Path);
        File.WriteAllLines(folder.File("vocab.txt"), TinyBert.Vocabulary.Take(90));
        var error = Assert.Throws<InvalidDataException>(() => PretrainedEncoders.FromHuggingFace(folder.Path));
        Assert.Contains("has 90 tokens but config.json's vocab_size", error.Message);
        Assert.Contains("100", error.Message);
    }

    [Fact]
    public void FromHuggingFace_reads_the_sentence_transformers_pooling_and_length()
    {
        using var folder = new EncoderFolder();
        using (var original = TinyBert.Model(seed: 29))
            TinyBert.WriteFolder(original, folder.Path);
        Directory.CreateDirectory(folder.File("1_Pooling"));
        File.WriteAllText(folder.File("1_Pooling/config.json"), """{"word_embedding_dimension": 32, "pooling_mode_cls_token": true, "pooling_mode_mean_tokens": false}""");
        File.WriteAllText(folder.File("sentence_bert_config.json"), """{"max_seq_length": 16, "do_lower_case": false}""");

        using var encoder = PretrainedEncoders.FromHuggingFace(folder.Path);

        Assert.Equal(EmbeddingPooling.FirstToken, encoder.Pooling);
        Assert.Equal(16, encoder.MaxTokens);
        Assert.Equal(32, encoder.Dimension);
        File.Delete(folder.File("1_Pooling/config.json"));
        using var plain = PretrainedEncoders.FromHuggingFace(folder.Path);
        Assert.Equal(EmbeddingPooling.Mean, plain.Pooling);
    }
}
