using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Tests.Persistence;

/// <summary>
/// A config that names sizes its weights do not have is refused from the weights' headers before the model is
/// allocated: built first, a model of a billion-id vocabulary 65,536 wide would ask for 256 TB.
/// </summary>
public class HostileConfigTests
{
    [Fact]
    public void A_hugging_face_config_naming_a_huge_model_is_refused_before_allocation()
    {
        using var folder = new TemporaryFolder();
        var tiny = new TinyHuggingFaceGpt2();
        tiny.WriteTo(folder.Path);
        tiny.WriteConfig(folder.Path, json => { json["vocab_size"] = 1_000_000_000; json["n_embd"] = 65_536; json["n_head"] = 1; });

        var error = Assert.Throws<InvalidDataException>(() => HuggingFaceGpt2.Load(folder.Path));

        Assert.Contains("wte.weight has shape [61, 32] in the checkpoint, the model expects [1000000000, 65536]", error.Message);
    }

    [Fact]
    public void Our_checkpoint_whose_config_names_a_huge_model_is_refused_before_allocation()
    {
        using var folder = new TemporaryFolder();
        var config = new GptConfig { VocabularySize = 50, ContextLength = 8, EmbeddingSize = 16, Heads = 2, Layers = 1, Dropout = 0 };
        using (var model = new GptModel(config, seed: 1))
            GptCheckpoint.Save(model, folder.Path);
        var configPath = Path.Combine(folder.Path, GptCheckpoint.ConfigFileName);
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"n_positions\": 8", "\"n_positions\": 2000000000"));

        var error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder.Path));

        Assert.Contains("wpe.weight has shape [8, 16] in the checkpoint, the model expects [2000000000, 16]", error.Message);
    }

    [Fact]
    public void Our_checkpoint_with_an_empty_config_is_refused_instead_of_loading_as_gpt2_small()
    {
        using var folder = new TemporaryFolder();
        using (var model = new GptModel(GptConfig.Tiny, seed: 1))
            GptCheckpoint.Save(model, folder.Path);
        File.WriteAllText(Path.Combine(folder.Path, GptCheckpoint.ConfigFileName), "{}");

        var error = Assert.Throws<InvalidDataException>(() => GptCheckpoint.Load(folder.Path));

        Assert.Contains("it lacks vocab_size, n_positions, n_embd, n_head, n_layer", error.Message);
    }

    [Fact]
    public void The_shapes_from_the_config_are_the_models_own_parameter_shapes()
    {
        foreach (var config in new[] { GptConfig.Tiny, GptConfig.Tiny with { TiedOutputHead = false, QkvBias = false } })
            AssertShapes(config);
    }

    private static void AssertShapes(GptConfig config)
    {
        using var model = new GptModel(config, seed: 1);
        Assert.Equal(
            model.named_parameters().Select(p => (p.name, p.parameter.shape)).ToList(),
            GptModel.ParameterShapes(config),
            new ShapeComparer());
    }

    private sealed class ShapeComparer : IEqualityComparer<(string, long[])>
    {
        public bool Equals((string, long[]) a, (string, long[]) b) => a.Item1 == b.Item1 && a.Item2.SequenceEqual(b.Item2);

        public int GetHashCode((string, long[]) value) => value.Item1.GetHashCode(StringComparison.Ordinal);
    }
}
