using System.Text.RegularExpressions;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// GPT-2 checkpoints in the Hugging Face layout: a folder with <c>config.json</c> and <c>model.safetensors</c> (or
/// shards listed by <c>model.safetensors.index.json</c>), as the public <c>gpt2</c>, <c>gpt2-medium</c>, ... models are
/// published. Pair it with <c>LlmTokenizers.Gpt2()</c>.
/// </summary>
/// <remarks>
/// Parameter names are ours (<c>wte</c>, <c>h.{i}.attn.c_attn</c>, ...), with or without a <c>transformer.</c> prefix.
/// Hugging Face's <c>Conv1D</c> layers store <c>c_attn</c>, <c>c_proj</c> and <c>c_fc</c> weights as [in, out], the
/// transpose of <c>Linear</c>; they are transposed while loading. The output head is tied to <c>wte</c> unless
/// <c>tie_word_embeddings</c> is false, in which case <c>lm_head.weight</c> must be present. F32, F16, BF16 and F64
/// tensors convert to the model's parameter type (float32 unless asked otherwise); the <c>attn.bias</c> and
/// <c>attn.masked_bias</c> buffers of old checkpoints are ignored. Files are memory-mapped and copied chunk by chunk
/// into the parameters, so loading never holds a second copy of the weights (only one transposed tensor at a time).
/// </remarks>
public static partial class HuggingFaceGpt2
{
    private const string Prefix = "transformer.";
    private const string HeadWeight = "lm_head.weight";
    private static readonly string[] Conv1DWeights = [".attn.c_attn.weight", ".attn.c_proj.weight", ".mlp.c_fc.weight", ".mlp.c_proj.weight"];

    /// <summary>Builds a model from the checkpoint in <paramref name="folder"/>, in evaluation mode.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <param name="dtype">The parameters' element type: float32 by default; the file's floats are converted to it.</param>
    /// <exception cref="FileNotFoundException">The folder lacks <c>config.json</c> or weights.</exception>
    /// <exception cref="InvalidDataException">
    /// The config describes a model we do not implement, or a weight is missing, has the wrong shape or dtype, the
    /// checkpoint holds a tensor the model does not have, or a file is truncated or corrupt. The message names the
    /// first problem.
    /// </exception>
    public static GptModel Load(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var config = HuggingFaceGpt2Config.Read(Path.GetFullPath(folder));
        using var weights = OpenWeights(folder);
        var (locate, leftover) = Layout(config, weights);
        ParameterLoader.Check(GptModel.ParameterShapes(config), locate, leftover, weights.Folder); // before anything large is allocated
        var model = new GptModel(config, device, dtype);
        try
        {
            LoadWeights(model, weights);
        }
        catch
        {
            model.Dispose();
            throw;
        }
        model.eval();
        return model;
    }

    /// <summary>Loads the weights in <paramref name="folder"/> into an existing model of the same shape.</summary>
    /// <exception cref="InvalidDataException">A weight is missing, has the wrong shape or dtype, or is not the model's; the model is left unchanged.</exception>
    public static void LoadWeights(GptModel model, string folder)
    {
        using var weights = OpenWeights(folder);
        LoadWeights(model, weights);
    }

    /// <summary>
    /// Writes <paramref name="model"/> as a Hugging Face GPT-2 checkpoint: <c>config.json</c> and
    /// <c>model.safetensors</c>, or shards of at most <paramref name="maxShardBytes"/> with their index. The previous
    /// checkpoint in the folder is replaced only once everything is written.
    /// </summary>
    /// <param name="model">The model to export.</param>
    /// <param name="folder">The checkpoint folder; created when missing.</param>
    /// <param name="dtype">How floats are stored: F32 (default, exact), F16 or BF16.</param>
    /// <param name="maxShardBytes">The largest shard; a tensor larger than this gets a shard of its own.</param>
    /// <exception cref="NotSupportedException">The model has no query/key/value bias, which GPT-2's layout cannot express.</exception>
    public static void Save(GptModel model, string folder, SafetensorsDType dtype = SafetensorsDType.F32, long maxShardBytes = long.MaxValue)
    {
        if (dtype is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
            throw new ArgumentException($"Weights can be stored as F32, F16 or BF16, not {dtype}.", nameof(dtype));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxShardBytes);
        var entries = model.named_parameters()
            .Select(p => TorchSafetensors.Entry(p.name, p.parameter, dtype, IsConv1DWeight(p.name)))
            .ToList();
        var shards = SplitIntoShards(entries, maxShardBytes);
        var metadata = new Dictionary<string, string> { ["format"] = "pt" };

        StagedFolderWrite.Write(folder, staging =>
        {
            HuggingFaceGpt2Config.Write(staging, model.Config);
            if (shards.Count == 1)
            {
                SafetensorsWriter.Write(Path.Combine(staging, SafetensorsFolder.SingleFileName), shards[0], metadata);
                return;
            }
            var weightMap = new List<(string, string)>();
            for (int i = 0; i < shards.Count; i++)
            {
                var name = $"model-{i + 1:D5}-of-{shards.Count:D5}.safetensors";
                SafetensorsWriter.Write(Path.Combine(staging, name), shards[i], metadata);
                weightMap.AddRange(shards[i].Select(e => (e.Name, name)));
            }
            SafetensorsFolder.WriteIndex(staging, weightMap, entries.Sum(e => e.ByteLength));
        }, name => name is HuggingFaceGpt2Config.FileName or SafetensorsFolder.SingleFileName or SafetensorsFolder.IndexFileName || ShardName().IsMatch(name));
    }

    private static SafetensorsFolder OpenWeights(string folder)
    {
        var weights = SafetensorsFolder.Open(folder);
        if (weights.Files.Any(f => f.Metadata.TryGetValue("format", out var format) && format == GptCheckpoint.Format))
        {
            weights.Dispose();
            throw new InvalidDataException($"{Path.GetFullPath(folder)} holds an MLNetLlm checkpoint (Linear layout), not a Hugging Face one; load it with GptCheckpoint.Load.");
        }
        return weights;
    }

    private static void LoadWeights(GptModel model, SafetensorsFolder weights)
    {
        var (locate, leftover) = Layout(model.Config, weights);
        ParameterLoader.Load(model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)), locate, leftover, weights.Folder);
    }

    // Where each of our parameters sits in the folder, and which of its tensors are neither ours nor ignorable.
    private static (Func<string, CheckpointTensor?> Locate, Func<IReadOnlySet<string>, IEnumerable<string>> Leftover) Layout(GptConfig config, SafetensorsFolder weights)
    {
        string prefix = weights.TryGetTensor(Prefix + "wte.weight", out _, out _) ? Prefix : "";
        return (
            name =>
            {
                var stored = name == HeadWeight ? HeadWeight : prefix + name;
                return weights.TryGetTensor(stored, out var file, out var tensor) ? new CheckpointTensor(stored, file, tensor, IsConv1DWeight(name)) : null;
            },
            used => weights.TensorNames
                .Where(name => !used.Contains(name) && !IgnoredBuffer().IsMatch(name) && !(name == HeadWeight && config.TiedOutputHead))
                .Order(StringComparer.Ordinal));
    }

    private static bool IsConv1DWeight(string name) => Conv1DWeights.Any(name.EndsWith);

    private static List<List<SafetensorsEntry>> SplitIntoShards(List<SafetensorsEntry> entries, long maxShardBytes)
    {
        var shards = new List<List<SafetensorsEntry>> { new() };
        long size = 0;
        foreach (var entry in entries)
        {
            if (shards[^1].Count > 0 && size + entry.ByteLength > maxShardBytes)
            {
                shards.Add([]);
                size = 0;
            }
            shards[^1].Add(entry);
            size += entry.ByteLength;
        }
        return shards;
    }

    [GeneratedRegex(@"^(transformer\.)?h\.\d+\.attn\.(bias|masked_bias)$")]
    private static partial Regex IgnoredBuffer();

    [GeneratedRegex(@"^model-\d+-of-\d+\.safetensors$")]
    private static partial Regex ShardName();
}
