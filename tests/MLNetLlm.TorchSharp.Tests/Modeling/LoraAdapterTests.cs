using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Tests.Modeling;

public class LoraAdapterTests
{
    /// <summary>A tiny GPT with rank-4 adapters whose B is not zero, as after training.</summary>
    private static GptModel Adapted(ulong seed = 1)
    {
        var model = new GptModel(TinyGpt.Config, seed: seed);
        Lora.Apply(model, rank: 4, alpha: 8, seed: 3);
        using var noGrad = no_grad();
        using var generator = new Generator(5, model.Device);
        foreach (var (name, parameter) in model.named_parameters())
            if (name.EndsWith(".lora_B", StringComparison.Ordinal)) parameter.normal_(0, 0.05, generator);
        return model;
    }

    private static Dictionary<string, float[]> Weights(GptModel model) =>
        model.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().cpu().data<float>().ToArray());

    [Fact]
    public void CaptureSaveLoadMergeInto_GivesTheWeightsOfMergingInPlace()
    {
        using var folder = new TemporaryDirectory();
        using var tuned = Adapted();
        var adapter = LoraAdapter.Capture(tuned);
        Assert.Equal(4, adapter.Rank);
        adapter.Save(folder.Path);
        Lora.Merge(tuned);

        using var fresh = new GptModel(TinyGpt.Config, seed: 1);
        var loaded = LoraAdapter.Load(folder.Path);
        Assert.Equal(adapter.BaseFingerprint, loaded.BaseFingerprint);
        Assert.Equal(adapter.ParameterCount, loaded.ParameterCount);
        loaded.MergeInto(fresh);
        Assert.Null(Lora.SettingsOf(fresh));
        var expected = Weights(tuned);
        var actual = Weights(fresh);
        Assert.Equal(expected.Keys.Order(), actual.Keys.Order());
        foreach (var (name, values) in expected)
            Assert.Equal(values, actual[name]);
    }

    [Fact]
    public void MergeInto_AnotherBaseModel_IsRefused_AndLeavesItUnchanged()
    {
        using var tuned = Adapted(seed: 1);
        var adapter = LoraAdapter.Capture(tuned);
        using var other = new GptModel(TinyGpt.Config, seed: 2);
        var before = Weights(other);
        var error = Assert.Throws<InvalidDataException>(() => adapter.MergeInto(other));
        Assert.Contains("base fingerprint", error.Message);
        Assert.Null(Lora.SettingsOf(other));
        foreach (var (name, values) in Weights(other))
            Assert.Equal(before[name], values);
    }

    [Fact]
    public void MergeInto_AModelOfAnotherShape_NamesTheMatrix()
    {
        using var tuned = Adapted();
        var adapter = LoraAdapter.Capture(tuned);
        using var wider = new GptModel(TinyGpt.Config with { EmbeddingSize = 48 }, seed: 1);
        var error = Assert.Throws<InvalidDataException>(() => adapter.MergeInto(wider));
        Assert.Contains("h.0.", error.Message);
        Assert.Contains("another architecture", error.Message);
        Assert.Null(Lora.SettingsOf(wider));
    }

    [Fact]
    public void Capture_WithoutAdapters_AndLoad_OfSomethingElse_AreRefused()
    {
        using var folder = new TemporaryDirectory();
        using var plain = new GptModel(TinyGpt.Config, seed: 1);
        Assert.Throws<InvalidOperationException>(() => LoraAdapter.Capture(plain));
        Assert.Throws<FileNotFoundException>(() => LoraAdapter.Load(folder.Path));
        GptCheckpoint.Save(plain, folder.Path);
        File.Move(Path.Combine(folder.Path, "model.safetensors"), Path.Combine(folder.Path, LoraAdapter.FileName));
        var error = Assert.Throws<InvalidDataException>(() => LoraAdapter.Load(folder.Path));
        Assert.Contains("is not a LoRA adapter", error.Message);
    }
}
