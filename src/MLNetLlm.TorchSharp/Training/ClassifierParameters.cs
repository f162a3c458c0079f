using System.Globalization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Prepares a <see cref="GptClassifier"/> for fine-tuning: adds LoRA adapters when asked, then sets
/// <c>requires_grad</c> on exactly the parameters <see cref="ClassifierTrainingOptions.Parameters"/> trains (the
/// optimizer takes only those). The GPT's language-model head, unused by a classifier, never trains.
/// </summary>
internal static class ClassifierParameters
{
    /// <exception cref="ArgumentException">The classifier's adapters differ from the options' rank and alpha.</exception>
    /// <exception cref="InvalidOperationException">The classifier has adapters but the options train something else.</exception>
    public static void Prepare(GptClassifier classifier, ClassifierTrainingOptions options)
    {
        var lora = classifier.LoraSettings;
        if (options.Parameters == FineTuneParameters.LoRA)
        {
            if (lora is null) Lora.Apply(classifier.Transformer, options.LoraRank, options.LoraAlpha, (ulong)options.Seed);
            else if (lora.Value.Rank != options.LoraRank || lora.Value.Alpha != options.LoraAlpha)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The classifier already has LoRA adapters of rank {lora.Value.Rank} and alpha {lora.Value.Alpha}, but LoraRank is {options.LoraRank} and LoraAlpha {options.LoraAlpha}."), nameof(options));
        }
        else if (lora is not null)
        {
            throw new InvalidOperationException($"The classifier has LoRA adapters, but Parameters is {options.Parameters}: train with Parameters = LoRA, or call MergeLora first.");
        }

        int layers = classifier.Transformer.Config.Layers;
        foreach (var (name, parameter) in classifier.named_parameters())
            parameter.requires_grad = Trains(name, options, layers);
    }

    /// <summary>Whether the parameter of state-dict name <paramref name="name"/> trains under <paramref name="options"/>.</summary>
    public static bool Trains(string name, ClassifierTrainingOptions options, int layers)
    {
        if (name.StartsWith("score.", StringComparison.Ordinal)) return true;
        if (name.StartsWith("transformer.lm_head.", StringComparison.Ordinal)) return false;
        return options.Parameters switch
        {
            FineTuneParameters.Head => false,
            FineTuneParameters.All => true,
            FineTuneParameters.LoRA => Lora.IsAdapter(name),
            _ => name.StartsWith("transformer.ln_f.", StringComparison.Ordinal) || BlockIndex(name) >= layers - options.TrainableBlocks,
        };
    }

    // The i of "transformer.h.{i}.…"; -1 for parameters outside the blocks.
    private static int BlockIndex(string name)
    {
        const string prefix = "transformer.h.";
        if (!name.StartsWith(prefix, StringComparison.Ordinal)) return -1;
        int end = name.IndexOf('.', prefix.Length);
        return int.Parse(name.AsSpan(prefix.Length, end - prefix.Length), CultureInfo.InvariantCulture);
    }
}
