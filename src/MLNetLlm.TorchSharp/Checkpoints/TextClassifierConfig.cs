using MLNetLlm.Embeddings;
using System.Globalization;
using System.Text.Json.Serialization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Checkpoints;

/// <summary>
/// What a saved classifier is: its backbone's family and shape, classes, pooling and LoRA adapters (<c>classifier.json</c>).
/// Files written before families existed have no <c>family</c> and are GPT classifiers.
/// </summary>
internal sealed record TextClassifierConfig
{
    public const string FormatName = "mlnetllm-gpt-classifier/1";

    [JsonPropertyName("format")] public string Format { get; init; } = FormatName;

    [JsonPropertyName("family")] public BackboneFamily Family { get; init; } = BackboneFamily.Gpt;

    /// <summary>The GPT's shape, for the <see cref="BackboneFamily.Gpt"/> family.</summary>
    [JsonPropertyName("gpt")] public GptConfig? Gpt { get; init; }

    /// <summary>The encoder's shape, for the <see cref="BackboneFamily.Bert"/> family.</summary>
    [JsonPropertyName("bert")] public BertConfig? Bert { get; init; }

    /// <summary>The decoder's shape, for the <see cref="BackboneFamily.Llama"/> family.</summary>
    [JsonPropertyName("llama")] public LlamaConfig? Llama { get; init; }

    [JsonPropertyName("class_count")] public int ClassCount { get; init; }

    [JsonPropertyName("pooling")] public EmbeddingPooling Pooling { get; init; }

    /// <summary>The adapters' rank; null when the classifier has none (never had, or merged).</summary>
    [JsonPropertyName("lora_rank")] public int? LoraRank { get; init; }

    [JsonPropertyName("lora_alpha")] public double? LoraAlpha { get; init; }

    public static TextClassifierConfig Of(TextClassifier classifier)
    {
        var lora = Lora.SettingsOf(classifier.Backbone);
        return new TextClassifierConfig
        {
            Family = classifier.Backbone.Family,
            Gpt = (classifier.Backbone as GptModel)?.Config,
            Bert = (classifier.Backbone as BertModel)?.Config,
            Llama = (classifier.Backbone as LlamaModel)?.Config,
            ClassCount = classifier.ClassCount,
            Pooling = classifier.Pooling,
            LoraRank = lora?.Rank,
            LoraAlpha = lora?.Alpha,
        };
    }

    /// <summary>Checks the backbone's shape before anything is allocated.</summary>
    /// <exception cref="ArgumentException">The family's shape is missing or invalid.</exception>
    public void ValidateBackbone()
    {
        switch (Family)
        {
            case BackboneFamily.Gpt: (Gpt ?? throw new ArgumentException("the gpt shape is missing.")).Validate(); break;
            case BackboneFamily.Bert: (Bert ?? throw new ArgumentException("the bert shape is missing.")).Validate(); break;
            case BackboneFamily.Llama: (Llama ?? throw new ArgumentException("the llama shape is missing.")).Validate(); break;
            default: throw new ArgumentException($"classifiers of the {Family} family cannot be loaded by this version.");
        }
    }

    /// <summary>A backbone of the saved shape with seeded weights, which loading overwrites.</summary>
    public ITextBackbone CreateBackbone(global::TorchSharp.torch.Device? device) => Family switch
    {
        BackboneFamily.Gpt => new GptModel(Gpt!, device, seed: 0),
        BackboneFamily.Bert => new BertModel(Bert!, device, seed: 0),
        BackboneFamily.Llama => new LlamaModel(Llama!, device, seed: 0),
        _ => throw new InvalidOperationException($"No {Family} backbone in this version."),
    };

    public string Describe() => string.Create(CultureInfo.InvariantCulture,
        $"{ClassCount} classes, {Pooling} pooling, {(LoraRank is { } r ? $"LoRA rank {r} alpha {LoraAlpha}" : "no LoRA")} on {(object?)Gpt ?? (object?)Bert ?? (object?)Llama ?? Family}");
}
