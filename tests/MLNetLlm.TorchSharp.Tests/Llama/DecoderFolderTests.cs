using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Llama;

/// <summary><see cref="DecoderFolder.FamilyOf"/> tells the loader a folder needs from its config alone.</summary>
public class DecoderFolderTests
{
    [Fact]
    public void Our_checkpoints_and_gpt2_folders_are_gpts_and_llama_qwen2_qwen3_are_llama_family()
    {
        using var folder = new TemporaryFolder();
        using (var gpt = new GptModel(TinyGpt.Config, seed: 1))
        {
            GptCheckpoint.Save(gpt, Path.Combine(folder.Path, "ours"), TinyGpt.Tokenizer);
            HuggingFaceGpt2.Save(gpt, Path.Combine(folder.Path, "gpt2"));
        }
        Assert.Equal(BackboneFamily.Gpt, DecoderFolder.FamilyOf(Path.Combine(folder.Path, "ours")));
        Assert.Equal(BackboneFamily.Gpt, DecoderFolder.FamilyOf(Path.Combine(folder.Path, "gpt2")));
        foreach (var type in new[] { "llama", "qwen2", "qwen3" })
        {
            new TinyHuggingFaceLlama(type).WriteConfig(Path.Combine(folder.Path, type));
            Assert.Equal(BackboneFamily.Llama, DecoderFolder.FamilyOf(Path.Combine(folder.Path, type)));
        }
    }

    [Fact]
    public void A_folder_with_no_readable_model_type_is_left_to_the_gpt_loader()
    {
        using var folder = new TemporaryFolder();
        Assert.Equal(BackboneFamily.Gpt, DecoderFolder.FamilyOf(folder.Path)); // no config.json: LoadGpt says so
        File.WriteAllText(Path.Combine(folder.Path, "config.json"), "{ not json");
        Assert.Equal(BackboneFamily.Gpt, DecoderFolder.FamilyOf(folder.Path));
    }

    [Fact]
    public void Another_model_type_is_refused_naming_it_and_the_ones_that_load()
    {
        using var folder = new TemporaryFolder();
        new TinyHuggingFaceLlama("llama").WriteConfig(folder.Path, json => json["model_type"] = "mistral");
        var e = Assert.Throws<InvalidDataException>(() => DecoderFolder.FamilyOf(folder.Path));
        Assert.Contains("'mistral'", e.Message);
        Assert.Contains("gpt2, llama, qwen2, qwen3", e.Message);
        Assert.Throws<DirectoryNotFoundException>(() => DecoderFolder.FamilyOf(Path.Combine(folder.Path, "missing")));
    }
}
