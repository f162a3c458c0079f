using System.CommandLine;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.Cli.Commands;

/// <summary>The <c>--model</c> option: a model folder, by default the shipped brown-gpt.</summary>
internal static class ModelOption
{
    /// <summary>The option; <paramref name="llama"/> says whether the command also takes Llama-family folders.</summary>
    public static Option<DirectoryInfo?> Create(bool llama)
    {
        var option = new Option<DirectoryInfo?>("--model", "-m")
        {
            Description = llama
                ? "A model folder: ours (pretrain's output), a Hugging Face GPT-2 folder or a Hugging Face Llama-family folder (llama, qwen2, qwen3: Llama, SmolLM, Qwen, TinyLlama). Default: the shipped brown-gpt."
                : "A model folder: ours (pretrain's output) or a Hugging Face GPT-2 folder (not Llama-family). Default: the shipped brown-gpt.",
        };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } folder)
                r.AddError($"The model folder {folder.FullName} does not exist.");
        });
        return option;
    }

    public static string PathOf(ParseResult parsed, Option<DirectoryInfo?> option) => parsed.GetValue(option)?.FullName ?? GptModels.BrownPath;
}
