using System.Globalization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Prepares a <see cref="TextClassifier"/> for fine-tuning: adds LoRA adapters when asked, then sets
/// <c>requires_grad</c> on exactly the parameters <see cref="ClassifierTrainingOptions.Parameters"/> trains (the
/// optimizer takes only those). What the backbone's hidden states do not depend on (a GPT's separate language-model head) never trains.
/// </summary>
internal static class ClassifierParameters
{
    /// <exception cref="ArgumentException">The classifier's adapters differ from the options' rank and alpha.</exception>
    /// <exception cref="InvalidOperationException">The classifier has adapters but the options train something else.</exception>
    public static void Prepare(TextClassifier classifier, ClassifierTrainingOptions options)
    {
        var lora = classifier.LoraSettings;
        if (options.Parameters == FineTuneParameters.LoRA)
        {
            if (lora is null) Lora.Apply(classifier.Backbone, options.LoraRank, options.LoraAlpha, (ulong)options.Seed);
            else if (lora.Value.Rank != options.LoraRank || lora.Value.Alpha != options.LoraAlpha)
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture,
                    $"The classifier already has LoRA adapters of rank {lora.Value.Rank} and alpha {lora.Value.Alpha}, but LoraRank is {options.LoraRank} and LoraAlpha {options.LoraAlpha}."), nameof(options));
        }
        else if (lora is not null)
        {
            throw new InvalidOperationException($"The classifier has LoRA adapters, but Parameters is {options.Parameters}: train with Parameters = LoRA, or call MergeLora first.");
        }

        foreach (var (name, parameter) in classifier.named_parameters())
            parameter.requires_grad = Trains(name, options, classifier.Backbone);
    }

    /// <summary>Whether the classifier parameter of state-dict name <paramref name="name"/> trains under <paramref name="options"/>.</summary>
    public static bool Trains(string name, ClassifierTrainingOptions options, ITextBackbone backbone)
    {
        if (name.StartsWith("score.", StringComparison.Ordinal)) return true;
        const string prefix = "transformer.";
        string inBackbone = name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;
        if (backbone.IsOutsideHidden(inBackbone)) return false;
        return options.Parameters switch
        {
            FineTuneParameters.Head => false,
            FineTuneParameters.All => true,
            FineTuneParameters.LoRA => Lora.IsAdapter(name),
            _ => backbone.IsFinalNorm(inBackbone) || backbone.LayerOf(inBackbone) >= backbone.LayerCount - options.TrainableBlocks,
        };
    }
}
