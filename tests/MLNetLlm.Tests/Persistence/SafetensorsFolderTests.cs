using System.Text;
using MLNetLlm.Persistence;

namespace MLNetLlm.Tests.Persistence;

public class SafetensorsFolderTests
{
    [Fact]
    public void A_sharded_folder_finds_each_tensor_in_its_shard()
    {
        using var folder = new TemporaryFolder();
        SafetensorsWriter.Write(folder.File("model-00001-of-00002.safetensors"), [SafetensorsEntry.FromSingles("a", [1f, 2f], [2])]);
        SafetensorsWriter.Write(folder.File("model-00002-of-00002.safetensors"), [SafetensorsEntry.FromSingles("b", [3f], [1], SafetensorsDType.BF16)]);
        SafetensorsFolder.WriteIndex(folder.Path, [("a", "model-00001-of-00002.safetensors"), ("b", "model-00002-of-00002.safetensors")], 10);

        using var weights = SafetensorsFolder.Open(folder.Path);

        Assert.Equal(2, weights.Files.Count);
        Assert.True(weights.TryGetTensor("b", out var file, out var tensor));
        Assert.EndsWith("model-00002-of-00002.safetensors", file.Path);
        Assert.Equal(SafetensorsDType.BF16, tensor.DType);
        Assert.False(weights.TryGetTensor("c", out _, out _));
    }

    [Fact]
    public void A_single_file_is_preferred_over_an_index()
    {
        using var folder = new TemporaryFolder();
        SafetensorsWriter.Write(folder.File(SafetensorsFolder.SingleFileName), [SafetensorsEntry.FromSingles("single", [1f], [1])]);
        File.WriteAllText(folder.File(SafetensorsFolder.IndexFileName), "not even json");

        using var weights = SafetensorsFolder.Open(folder.Path);

        Assert.Equal(["single"], weights.TensorNames);
    }

    [Fact]
    public void An_index_naming_a_missing_shard_is_a_clear_error()
    {
        using var folder = new TemporaryFolder();
        SafetensorsFolder.WriteIndex(folder.Path, [("a", "model-00001-of-00001.safetensors")], 4);

        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsFolder.Open(folder.Path));
        Assert.Contains("'a' to shard model-00001-of-00001.safetensors, which is missing", error.Message);
    }

    [Fact]
    public void An_index_mapping_a_tensor_to_a_shard_without_it_is_a_clear_error()
    {
        using var folder = new TemporaryFolder();
        SafetensorsWriter.Write(folder.File("s.safetensors"), [SafetensorsEntry.FromSingles("a", [1f], [1])]);
        SafetensorsFolder.WriteIndex(folder.Path, [("a", "s.safetensors"), ("z", "s.safetensors")], 4);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFolder.Open(folder.Path));
        Assert.Contains("'z' to shard s.safetensors, which has no such tensor", error.Message);
    }

    [Theory]
    [InlineData("../outside.safetensors")]
    [InlineData("sub/inner.safetensors")]
    public void An_index_cannot_point_outside_the_folder(string shard)
    {
        using var folder = new TemporaryFolder();
        File.WriteAllText(folder.File(SafetensorsFolder.IndexFileName), "{\"weight_map\":{\"a\":\"" + shard + "\"}}", Encoding.UTF8);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFolder.Open(folder.Path));
        Assert.Contains("not a file name inside the checkpoint folder", error.Message);
    }

    [Fact]
    public void A_folder_without_weights_says_which_files_it_looked_for()
    {
        using var folder = new TemporaryFolder();

        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsFolder.Open(folder.Path));
        Assert.Contains("neither model.safetensors nor model.safetensors.index.json", error.Message);
    }

    [Fact]
    public void A_pickle_checkpoint_is_named_and_not_read()
    {
        using var folder = new TemporaryFolder();
        File.WriteAllBytes(folder.File("pytorch_model.bin"), [0x80, 0x02]);

        var error = Assert.Throws<FileNotFoundException>(() => SafetensorsFolder.Open(folder.Path));
        Assert.Contains("pytorch_model.bin, a pickle checkpoint, which is never read", error.Message);
    }
}
