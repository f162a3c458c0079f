using System.Text.Json.Serialization;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// The shape of a BERT-family encoder (<see cref="BertModel"/>). JSON names follow Hugging Face's BERT
/// <c>config.json</c>, so a checkpoint's config reads straight into this record; the defaults are Hugging Face's
/// <c>BertConfig</c> defaults, which are <c>bert-base-uncased</c>.
/// </summary>
public sealed record BertConfig
{
    /// <summary>The most parameters <see cref="Validate"/> accepts: 500 million (2 GB in float32), above BERT-large's 335 million.</summary>
    public const long MaxParameters = 500_000_000;

    /// <summary>Number of token ids the word embedding holds (rows of <c>embeddings.word_embeddings.weight</c>).</summary>
    [JsonPropertyName("vocab_size")] public int VocabularySize { get; init; } = 30522;

    /// <summary>Width of the hidden states (the embedding size C).</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;

    /// <summary>Number of encoder layers.</summary>
    [JsonPropertyName("num_hidden_layers")] public int Layers { get; init; } = 12;

    /// <summary>Attention heads per layer; must divide <see cref="HiddenSize"/>.</summary>
    [JsonPropertyName("num_attention_heads")] public int Heads { get; init; } = 12;

    /// <summary>Width of the feed-forward layer between the two dense projections of each layer.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;

    /// <summary>Longest sequence the model takes, special tokens included (rows of the position embedding).</summary>
    [JsonPropertyName("max_position_embeddings")] public int MaxPositions { get; init; } = 512;

    /// <summary>Number of segment (token type) ids: 2 for BERT's sentence A / sentence B.</summary>
    [JsonPropertyName("type_vocab_size")] public int TypeVocabularySize { get; init; } = 2;

    /// <summary>Epsilon of every LayerNorm.</summary>
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEpsilon { get; init; } = 1e-12;

    /// <summary>Dropout on the embeddings and on both residual branches of each layer, during training.</summary>
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropout { get; init; } = 0.1;

    /// <summary>Dropout on the attention weights, during training.</summary>
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionDropout { get; init; } = 0.1;

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore] public int HeadSize => HiddenSize / Heads;

    /// <summary>A model small enough for tests: 2 layers, 2 heads, width 32, 64 positions, a vocabulary of 100, no dropout.</summary>
    public static BertConfig Tiny { get; } = new()
    {
        VocabularySize = 100, HiddenSize = 32, Layers = 2, Heads = 2, IntermediateSize = 64, MaxPositions = 64,
        HiddenDropout = 0.0, AttentionDropout = 0.0,
    };

    /// <summary>all-MiniLM-L6-v2 (and snowflake-arctic-embed-xs, the same shape): 6 layers, 12 heads, width 384, 22.6M parameters (22.7M with the pooler we leave out).</summary>
    public static BertConfig MiniLmL6 { get; } = new() { HiddenSize = 384, Layers = 6, Heads = 12, IntermediateSize = 1536 };

    /// <summary>all-MiniLM-L12-v2: 12 layers, 12 heads, width 384, 33.2M parameters (without the pooler).</summary>
    public static BertConfig MiniLmL12 { get; } = MiniLmL6 with { Layers = 12 };

    /// <summary>bert-base-uncased: 12 layers, 12 heads, width 768, 108.9M parameters (109.5M with the pooler we leave out).</summary>
    public static BertConfig BertBase { get; } = new();

    /// <summary>The parameters a <see cref="BertModel"/> of this shape has, by Hugging Face name, with their shapes, in the model's order.</summary>
    public IEnumerable<(string Name, long[] Shape)> ParameterShapes()
    {
        long c = HiddenSize, i = IntermediateSize;
        yield return ("embeddings.word_embeddings.weight", [VocabularySize, c]);
        yield return ("embeddings.position_embeddings.weight", [MaxPositions, c]);
        yield return ("embeddings.token_type_embeddings.weight", [TypeVocabularySize, c]);
        yield return ("embeddings.LayerNorm.weight", [c]);
        yield return ("embeddings.LayerNorm.bias", [c]);
        for (int layer = 0; layer < Layers; layer++)
        {
            string p = $"encoder.layer.{layer}.";
            foreach (var projection in new[] { "query", "key", "value" })
            {
                yield return (p + $"attention.self.{projection}.weight", [c, c]);
                yield return (p + $"attention.self.{projection}.bias", [c]);
            }
            yield return (p + "attention.output.dense.weight", [c, c]);
            yield return (p + "attention.output.dense.bias", [c]);
            yield return (p + "attention.output.LayerNorm.weight", [c]);
            yield return (p + "attention.output.LayerNorm.bias", [c]);
            yield return (p + "intermediate.dense.weight", [i, c]);
            yield return (p + "intermediate.dense.bias", [i]);
            yield return (p + "output.dense.weight", [c, i]);
            yield return (p + "output.dense.bias", [c]);
            yield return (p + "output.LayerNorm.weight", [c]);
            yield return (p + "output.LayerNorm.bias", [c]);
        }
    }

    /// <summary>Number of parameters of a model of this shape, computed without building it (no pooler).</summary>
    /// <exception cref="OverflowException">The count does not fit a long (only for absurd sizes; <see cref="Validate"/> says so first).</exception>
    public long ParameterCount
    {
        get
        {
            checked
            {
                long c = HiddenSize, i = IntermediateSize;
                long embeddings = ((long)VocabularySize + MaxPositions + TypeVocabularySize) * c + 2 * c;
                long layer = 4 * (c * c + c) + 2 * c + (c * i + i) + (i * c + c) + 2 * c;
                return embeddings + Layers * layer;
            }
        }
    }

    /// <summary>
    /// Checks that the numbers describe a model that can be built, before anything is allocated: every size positive
    /// and within a sane bound, the heads dividing the width, dropouts in [0, 1), and at most <see cref="MaxParameters"/>
    /// parameters, so a hostile config cannot make the process allocate gigabytes. Names the first bad field.
    /// </summary>
    /// <exception cref="ArgumentException">A field is out of range, or the model would be too large.</exception>
    public void Validate()
    {
        Require(VocabularySize is > 0 and <= 1_000_000, nameof(VocabularySize), "must be in [1, 1,000,000]");
        Require(HiddenSize is > 0 and <= 16_384, nameof(HiddenSize), "must be in [1, 16,384]");
        Require(Layers is > 0 and <= 256, nameof(Layers), "must be in [1, 256]");
        Require(Heads > 0 && Heads <= HiddenSize && HiddenSize % Heads == 0, nameof(Heads), $"must be positive and divide HiddenSize ({HiddenSize})");
        Require(IntermediateSize is > 0 and <= 65_536, nameof(IntermediateSize), "must be in [1, 65,536]");
        Require(MaxPositions is > 0 and <= 65_536, nameof(MaxPositions), "must be in [1, 65,536]");
        Require(TypeVocabularySize is > 0 and <= 1024, nameof(TypeVocabularySize), "must be in [1, 1024]");
        Require(LayerNormEpsilon > 0 && double.IsFinite(LayerNormEpsilon), nameof(LayerNormEpsilon), "must be positive and finite");
        Require(HiddenDropout is >= 0 and < 1, nameof(HiddenDropout), "must be in [0, 1)");
        Require(AttentionDropout is >= 0 and < 1, nameof(AttentionDropout), "must be in [0, 1)");
        if (ParameterCount > MaxParameters)
            throw new ArgumentException($"BertConfig describes a model of {ParameterCount:N0} parameters, more than the {MaxParameters:N0} allowed " +
                $"(vocabulary {VocabularySize}, width {HiddenSize}, {Layers} layers, intermediate {IntermediateSize}, {MaxPositions} positions).", nameof(ParameterCount));
    }

    private void Require(bool condition, string field, string rule)
    {
        if (!condition) throw new ArgumentException($"BertConfig.{field} {rule}; it is {GetType().GetProperty(field)!.GetValue(this)}.", field);
    }
}
