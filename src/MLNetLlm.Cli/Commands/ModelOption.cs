using System.CommandLine;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.Cli.Commands;

/// <summary>The <c>--model</c> option: a model folder, by default the shipped brown-gpt.</summary>
internal static class ModelOption
{
    public static Option<DirectoryInfo?> Create()
    {
        var option = new Option<DirectoryInfo?>("--model", "-m") { Description = "A model folder: ours (pretrain's output) or a Hugging Face GPT-2 folder. Default: the shipped brown-gpt." };
        option.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<DirectoryInfo?>() is { Exists: false } folder)
                r.AddError($"The model folder {folder.FullName} does not exist.");
        });
        return option;
    }

    public static string PathOf(ParseResult parsed, Option<DirectoryInfo?> option) => parsed.GetValue(option)?.FullName ?? GptModels.BrownPath;
}
