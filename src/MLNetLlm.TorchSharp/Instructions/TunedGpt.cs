using System.Globalization;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>The base GPT of instruction and preference tuning, and how its trained weights are chosen and folded back.</summary>
internal static class TunedGpt
{
    /// <summary>A fresh copy the caller owns: from <paramref name="path"/>, a copy of <paramref name="model"/>, or the
    /// shipped model; with its tokenizer, which must exist.</summary>
    public static (GptModel Model, LlmTokenizer Tokenizer, string Description) Load(string? path, GptTransformer? model)
    {
        var loaded = FineTuneGptBaseModel.Load(new FineTuneGptOptions { BaseModelPath = path, BaseModel = model });
        var gpt = (GptModel)loaded.Backbone;
        if (loaded.Tokenizer is null)
        {
            gpt.Dispose();
            throw new ArgumentException($"The base model ({loaded.Description}) has no tokenizer: instruction tuning reads and writes text.", nameof(path));
        }
        return (gpt, loaded.Tokenizer, loaded.Description);
    }

    /// <summary>Adds LoRA adapters when asked and sets <c>requires_grad</c> on what trains; returns the trained parameter
    /// count and a description for the checkpoint fingerprint.</summary>
    public static (long Trained, string Description) Prepare(GptModel model, InstructionParameters parameters, int rank, double alpha, int seed)
    {
        bool lora = parameters == InstructionParameters.LoRA;
        if (lora) Lora.Apply(model, rank, alpha, (ulong)seed);
        long trained = 0;
        foreach (var (name, parameter) in model.named_parameters())
        {
            parameter.requires_grad = !lora || Lora.IsAdapter(name);
            if (parameter.requires_grad) trained += parameter.numel();
        }
        return (trained, lora ? string.Create(CultureInfo.InvariantCulture, $"LoRA(rank {rank}, alpha {alpha})") : "All");
    }

    /// <summary>Folds the adapters in and makes every parameter trainable again (a plain GPT, as loaded).</summary>
    public static void Finish(GptModel model)
    {
        Lora.Merge(model);
        foreach (var parameter in model.parameters()) parameter.requires_grad = true;
        model.eval();
    }
}
