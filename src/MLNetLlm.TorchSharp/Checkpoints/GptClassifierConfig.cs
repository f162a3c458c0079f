using System.Globalization;
using System.Text.Json.Serialization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>What a saved classifier is: its GPT's shape, classes, pooling and LoRA adapters (<c>classifier.json</c>).</summary>
internal sealed record GptClassifierConfig
{
    public const string FormatName = "mlnetllm-gpt-classifier/1";

    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;

    [JsonPropertyName("gpt")] public required GptConfig Gpt { get; init; }

    [JsonPropertyName("class_count")] public int ClassCount { get; init; }

    [JsonPropertyName("pooling")] public ClassifierPooling Pooling { get; init; }

    /// <summary>The adapters' rank; null when the classifier has none (never had, or merged).</summary>
    [JsonPropertyName("lora_rank")] public int? LoraRank { get; init; }

    [JsonPropertyName("lora_alpha")] public double? LoraAlpha { get; init; }

    public static GptClassifierConfig Of(GptClassifier classifier)
    {
        var lora = Lora.SettingsOf(classifier.Transformer);
        return new GptClassifierConfig
        {
            Gpt = classifier.Transformer.Config,
            ClassCount = classifier.ClassCount,
            Pooling = classifier.Pooling,
            LoraRank = lora?.Rank,
            LoraAlpha = lora?.Alpha,
        };
    }

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{ClassCount} classes, {Pooling} pooling, {(LoraRank is { } r ? $"LoRA rank {r} alpha {LoraAlpha}" : "no LoRA")} on {Gpt}");
}
