using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

public class GptCheckpointTests
{
    private static readonly GptConfig Small = new() { VocabularySize = 50257, ContextLength = 16, EmbeddingSize = 32, Heads = 4, Layers = 2, Dropout = 0 };
    private static readonly int[] Ids = [464, 2068, 7586, 21831, 18045, 625, 262, 16931, 3290, 13];

    [Fact]
    public void Save_then_load_gives_identical_logits_config_and_tokenizer()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 1);
        model.eval();
        var expected = LogitsAssert.Of(model, Ids);

        GptCheckpoint.Save(model, folder.Path, LlmTokenizers.Gpt2());
        var loaded = GptCheckpoint.Load(folder.Path);
        using var loadedModel = loaded.Model;

        Assert.Equal(Small, loadedModel.Config);
        Assert.Equal(expected, LogitsAssert.Of(loadedModel, Ids));
        Assert.Equal("gpt2", loaded.Tokenizer!.Name);
        Assert.Equal(Ids, loaded.Tokenizer.EncodeToIds(LlmTokenizers.Gpt2().Decode(Ids)));
    }

    [Fact]
    public void An_untied_model_without_qkv_bias_round_trips()
    {
        using var folder = new TemporaryFolder();
        var config = Small with { TiedOutputHead = false, QkvBias = false, VocabularySize = 40 };
        using var model = new GptModel(config, seed: 2);
        model.eval();
        int[] ids = [1, 2, 39, 4];

        GptCheckpoint.Save(model, folder.Path);
        var loaded = GptCheckpoint.Load(folder.Path);
        using var loadedModel = loaded.Model;

        Assert.Null(loaded.Tokenizer);
        Assert.Equal(LogitsAssert.Of(model, ids), LogitsAssert.Of(loadedModel, ids));
    }

    [Fact]
    public void A_failed_save_keeps_the_previous_checkpoint()
    {
        using var folder = new TemporaryFolder();
        using var first = new GptModel(Small, seed: 1);
        using var second = new GptModel(Small, seed: 2);
        first.eval();
        GptCheckpoint.Save(first, folder.Path, LlmTokenizers.Gpt2());
        var before = Directory.GetFileSystemEntries(folder.Path).Order().ToArray();

        var error = Assert.Throws<IOException>(() => GptCheckpoint.Save(second, folder.Path, new FailingTokenizer()));

        Assert.Equal("disk full", error.Message);
        Assert.Equal(before, Directory.GetFileSystemEntries(folder.Path).Order().ToArray());
        var loaded = GptCheckpoint.Load(folder.Path);
        using var loadedModel = loaded.Model;
        Assert.Equal(LogitsAssert.Of(first, Ids), LogitsAssert.Of(loadedModel, Ids));
    }

    [Fact]
    public void Saving_without_a_tokenizer_removes_the_previous_one_and_keeps_unrelated_files()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 1);
        File.WriteAllText(folder.File("notes.txt"), "mine");
        GptCheckpoint.Save(model, folder.Path, LlmTokenizers.Gpt2());

        GptCheckpoint.Save(model, folder.Path);

        Assert.False(Directory.Exists(folder.File(GptCheckpoint.TokenizerFolderName)));
        Assert.Equal("mine", File.ReadAllText(folder.File("notes.txt")));
        Assert.Null(GptCheckpoint.Load(folder.Path).Tokenizer);
    }

    [Fact]
    public void A_checkpoint_whose_config_disagrees_with_its_weights_names_the_first_mismatch()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 1);
        GptCheckpoint.Save(model, folder.Path);
        var config = File.ReadAllText(folder.File("config.json")).Replace("\"n_embd\": 32", "\"n_embd\": 64");
        File.WriteAllText(folder.File("config.json"), config);

        var error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder.Path));
        Assert.Contains("wte.weight has shape [50257, 32] in the checkpoint, the model expects [50257, 64]", error.Message);
    }

    [Fact]
    public void A_truncated_checkpoint_is_a_clear_error()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 1);
        GptCheckpoint.Save(model, folder.Path);
        var path = folder.File(GptCheckpoint.WeightsFileName);
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..^1]);

        var error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder.Path));
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void The_two_layouts_are_never_confused()
    {
        using var ours = new TemporaryFolder();
        using var theirs = new TemporaryFolder();
        using var model = new GptModel(Small, seed: 1);
        GptCheckpoint.Save(model, ours.Path);
        new TinyHuggingFaceGpt2().WriteTo(theirs.Path);

        Assert.Contains("GptCheckpoint.Load", Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(ours.Path)).Message);
        Assert.Contains("HuggingFaceGpt2.Load", Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(theirs.Path)).Message);
    }

    [Fact]
    public void A_tokenizer_larger_than_the_vocabulary_is_refused()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(Small with { VocabularySize = 100 }, seed: 1);

        var error = Assert.Throws<ArgumentException>(() => GptCheckpoint.Save(model, folder.Path, LlmTokenizers.Gpt2()));
        Assert.Contains("50257 ids but the model only 100", error.Message);
        Assert.Empty(Directory.GetFileSystemEntries(folder.Path));
    }

    private sealed class FailingTokenizer : LlmTokenizer
    {
        public override string Name => "failing";
        public override int VocabularySize => 10;
        public override IReadOnlyDictionary<string, int> SpecialTokens { get; } = new Dictionary<string, int>();
        public override IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text) => [];
        public override string Decode(IEnumerable<int> ids) => "";
        public override void Save(string directory) => throw new IOException("disk full");
    }
}
