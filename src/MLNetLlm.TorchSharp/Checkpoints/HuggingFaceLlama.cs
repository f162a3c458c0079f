using System.Text.RegularExpressions;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// Llama-family checkpoints in the Hugging Face layout (Llama 2/3, TinyLlama, SmolLM, Qwen2, Qwen3): a folder with
/// <c>config.json</c> and <c>model.safetensors</c> or shards listed by <c>model.safetensors.index.json</c>.
/// </summary>
/// <remarks>
/// Tensor names are the model's with a <c>model.</c> prefix (<c>model.layers.0.self_attn.q_proj.weight</c>), except
/// <c>lm_head.weight</c>, which must be present unless <c>tie_word_embeddings</c> (a stored tied head is ignored). Linear
/// weights are stored [out, in] as torch keeps them. F32, F16, BF16 and F64 convert to the model's parameter type.
/// Files are memory-mapped and copied chunk by chunk into the parameters: loading holds one copy of the weights.
/// Every name and shape is checked before any value is copied, and a checkpoint that does not fit names its first
/// problem and leaves nothing behind.
/// </remarks>
public static partial class HuggingFaceLlama
{
    private const string Prefix = "model.";
    private const string HeadWeight = "lm_head.weight";

    /// <summary>Builds a model from the checkpoint in <paramref name="folder"/>, in evaluation mode.</summary>
    /// <param name="folder">The checkpoint folder.</param>
    /// <param name="device">Where the model lives; the CPU when null.</param>
    /// <param name="dtype">The parameters' element type: float32 by default; the file's floats are converted to it.</param>
    /// <exception cref="FileNotFoundException">The folder lacks <c>config.json</c> or weights.</exception>
    /// <exception cref="InvalidDataException">The config names an unsupported model type or variant, a weight is missing,
    /// has the wrong shape or dtype, the checkpoint holds a tensor the model does not have, or a file is corrupt.</exception>
    public static LlamaModel Load(string folder, Device? device = null, ScalarType dtype = ScalarType.Float32)
    {
        var config = HuggingFaceLlamaConfig.Read(Path.GetFullPath(folder));
        using var weights = SafetensorsFolder.Open(folder);
        var model = new LlamaModel(config, device, dtype);
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

    /// <summary>The config of the checkpoint in <paramref name="folder"/>, checked as <see cref="Load"/> checks it.</summary>
    /// <exception cref="FileNotFoundException">The folder has no <c>config.json</c>.</exception>
    /// <exception cref="InvalidDataException">The config is unreadable or describes a model that is not implemented.</exception>
    public static LlamaConfig ReadConfig(string folder) => HuggingFaceLlamaConfig.Read(Path.GetFullPath(folder));

    /// <summary>
    /// Writes <paramref name="model"/> as a Hugging Face checkpoint (<c>config.json</c>, <c>model.safetensors</c>) that
    /// <see cref="Load"/> and Hugging Face's own loaders read back. The folder's previous checkpoint is replaced only once
    /// everything is written.
    /// </summary>
    /// <param name="model">The model; LoRA adapters must be merged first.</param>
    /// <param name="folder">The checkpoint folder; created when missing.</param>
    /// <param name="dtype">How floats are stored: F32 (default, exact), F16 or BF16.</param>
    /// <exception cref="ArgumentException">Another storage type, or the model still has LoRA adapters.</exception>
    public static void Save(LlamaModel model, string folder, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (dtype is not (SafetensorsDType.F32 or SafetensorsDType.F16 or SafetensorsDType.BF16))
            throw new ArgumentException($"Weights can be stored as F32, F16 or BF16, not {dtype}.", nameof(dtype));
        if (Lora.SettingsOf(model) is not null)
            throw new ArgumentException("The model has LoRA adapters; merge them (Lora.Merge) before saving it in the Hugging Face layout.", nameof(model));
        var entries = model.named_parameters()
            .Select(p => TorchSafetensors.Entry(p.name == HeadWeight ? p.name : Prefix + p.name, p.parameter, dtype, transposed: false))
            .ToList();
        StagedFolderWrite.Write(folder, staging =>
        {
            HuggingFaceLlamaConfig.Write(staging, model.Config);
            SafetensorsWriter.Write(Path.Combine(staging, SafetensorsFolder.SingleFileName), entries, new Dictionary<string, string> { ["format"] = "pt" });
        }, name => name is HuggingFaceConfigFile.FileName or SafetensorsFolder.SingleFileName or SafetensorsFolder.IndexFileName);
    }

    private static void LoadWeights(LlamaModel model, SafetensorsFolder weights)
    {
        string prefix = weights.TryGetTensor(Prefix + "embed_tokens.weight", out _, out _) ? Prefix : "";
        ParameterLoader.Load(
            model.named_parameters().Select(p => (p.name, (Tensor)p.parameter)),
            name =>
            {
                var stored = name == HeadWeight ? HeadWeight : prefix + name;
                return weights.TryGetTensor(stored, out var file, out var tensor) ? new CheckpointTensor(stored, file, tensor, false) : null;
            },
            used => weights.TensorNames
                .Where(name => !used.Contains(name) && !RotaryBuffer().IsMatch(name) && !(name == HeadWeight && model.Config.TiedOutputHead))
                .Order(StringComparer.Ordinal),
            weights.Folder);
    }

    // Old Llama exports store each layer's rotary inverse frequencies, which the model computes.
    [GeneratedRegex(@"^(model\.)?layers\.\d+\.self_attn\.rotary_emb\.inv_freq$")]
    private static partial Regex RotaryBuffer();
}
