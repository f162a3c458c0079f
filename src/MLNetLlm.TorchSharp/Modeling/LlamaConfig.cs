using System.Text.Json.Serialization;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// The shape of a Llama-family decoder (Llama 2/3, TinyLlama, SmolLM, Qwen2, Qwen3). JSON names follow Hugging Face's
/// <c>config.json</c>; what differs between model types (query/key/value bias, QK-norm) is set by the checkpoint reader.
/// </summary>
public sealed record LlamaConfig
{
    /// <summary>Number of token ids the model embeds and predicts.</summary>
    [JsonPropertyName("vocab_size")] public int VocabularySize { get; init; } = 32000;

    /// <summary>Width of the residual stream.</summary>
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 4096;

    /// <summary>Width of the SwiGLU MLP's gate and up projections.</summary>
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 11008;

    /// <summary>Number of transformer blocks.</summary>
    [JsonPropertyName("num_hidden_layers")] public int Layers { get; init; } = 32;

    /// <summary>Query heads per block.</summary>
    [JsonPropertyName("num_attention_heads")] public int Heads { get; init; } = 32;

    /// <summary>Key/value heads per block (grouped-query attention); must divide <see cref="Heads"/>. Null means <see cref="Heads"/>.</summary>
    [JsonPropertyName("num_key_value_heads")] public int? KeyValueHeads { get; init; }

    /// <summary>Width of one head; null means <see cref="HiddenSize"/> / <see cref="Heads"/> (Qwen3 sets it explicitly).</summary>
    [JsonPropertyName("head_dim")] public int? HeadDimension { get; init; }

    /// <summary>Longest sequence the model was trained for: the key/value cache's default capacity.</summary>
    [JsonPropertyName("max_position_embeddings")] public int ContextLength { get; init; } = 2048;

    /// <summary>Epsilon of every RMSNorm.</summary>
    [JsonPropertyName("rms_norm_eps")] public double RmsNormEpsilon { get; init; } = 1e-6;

    /// <summary>Base of the rotary frequencies (10,000 for Llama 2, 500,000 for Llama 3, 1,000,000 for Qwen).</summary>
    [JsonPropertyName("rope_theta")] public double RopeTheta { get; init; } = 10000.0;

    /// <summary>Llama 3's rotary frequency scaling; null for plain rotary embeddings.</summary>
    [JsonPropertyName("rope_scaling")] public LlamaRopeScaling? RopeScaling { get; init; }

    /// <summary>Whether the output head shares its weight with the token embedding.</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TiedOutputHead { get; init; }

    /// <summary>Whether the query, key and value projections have a bias (Qwen2 does; Llama's <c>attention_bias</c>).</summary>
    [JsonPropertyName("attention_bias")] public bool QkvBias { get; init; }

    /// <summary>Whether queries and keys go through a per-head RMSNorm before the rotation (Qwen3). Hugging Face files
    /// do not spell it (the model type says it); our own saved configs do.</summary>
    [JsonPropertyName("qk_norm")] public bool QkNorm { get; init; }

    /// <summary>Dropout on attention weights while training (Hugging Face's <c>attention_dropout</c>); 0 by default.</summary>
    [JsonPropertyName("attention_dropout")] public double Dropout { get; init; }

    /// <summary>Key/value heads actually used.</summary>
    [JsonIgnore] public int KvHeads => KeyValueHeads ?? Heads;

    /// <summary>Width of one attention head actually used.</summary>
    [JsonIgnore] public int HeadSize => HeadDimension ?? HiddenSize / Heads;

    /// <summary>A model small enough for tests: 2 layers, 4 query heads sharing 2 key/value heads, width 32, context 64.</summary>
    public static LlamaConfig Tiny { get; } = new()
    {
        VocabularySize = 64, HiddenSize = 32, IntermediateSize = 64, Layers = 2, Heads = 4, KeyValueHeads = 2, ContextLength = 64,
        RmsNormEpsilon = 1e-5, TiedOutputHead = true,
    };

    /// <summary>SmolLM2-135M's shape: 30 layers, width 576, 9 heads over 3 key/value heads, vocabulary 49,152, tied head.</summary>
    public static LlamaConfig SmolLm2_135M { get; } = new()
    {
        VocabularySize = 49152, HiddenSize = 576, IntermediateSize = 1536, Layers = 30, Heads = 9, KeyValueHeads = 3,
        ContextLength = 8192, RmsNormEpsilon = 1e-5, RopeTheta = 100000, TiedOutputHead = true,
    };

    /// <summary>Checks that the numbers describe a model that can be built; names the first bad field.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the key/value heads do not divide the heads, the head
    /// width is odd (rotary embeddings rotate pairs), or a rotary setting is out of range.</exception>
    public void Validate()
    {
        Require(VocabularySize > 0, nameof(VocabularySize), "must be positive");
        Require(HiddenSize > 0, nameof(HiddenSize), "must be positive");
        Require(IntermediateSize > 0, nameof(IntermediateSize), "must be positive");
        Require(Layers > 0, nameof(Layers), "must be positive");
        Require(Heads > 0, nameof(Heads), "must be positive");
        Require(KvHeads > 0 && Heads % KvHeads == 0, nameof(KeyValueHeads), $"(num_key_value_heads) must be positive and divide the {Heads} attention heads");
        Require(HeadDimension is null ? HiddenSize % Heads == 0 : HeadDimension > 0, nameof(HeadDimension), $"must be positive, or absent with the heads ({Heads}) dividing HiddenSize ({HiddenSize})");
        Require(HeadSize % 2 == 0, nameof(HeadDimension), "must be even: rotary embeddings rotate pairs of dimensions");
        Require(ContextLength > 0, nameof(ContextLength), "must be positive");
        Require(RmsNormEpsilon > 0, nameof(RmsNormEpsilon), "must be positive");
        Require(RopeTheta > 1 && double.IsFinite(RopeTheta), nameof(RopeTheta), "must be a finite number above 1");
        Require(Dropout is >= 0 and < 1, nameof(Dropout), "must be in [0, 1)");
        RopeScaling?.Validate();
    }

    private void Require(bool condition, string field, string rule)
    {
        if (!condition) throw new ArgumentException($"LlamaConfig.{field} {rule}; it is {GetType().GetProperty(field)!.GetValue(this) ?? "null"}.", field);
    }
}
