using System.Text.Json.Serialization;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// The shape of a GPT model. JSON names follow Hugging Face's GPT-2 <c>config.json</c>, so a checkpoint's config reads
/// straight into this record.
/// </summary>
public sealed record GptConfig
{
    /// <summary>Number of token ids the model embeds and predicts.</summary>
    [JsonPropertyName("vocab_size")] public int VocabularySize { get; init; } = 50257;

    /// <summary>Longest sequence the model attends over (size of the positional embedding table).</summary>
    [JsonPropertyName("n_positions")] public int ContextLength { get; init; } = 1024;

    /// <summary>Width of the residual stream (embedding size).</summary>
    [JsonPropertyName("n_embd")] public int EmbeddingSize { get; init; } = 768;

    /// <summary>Attention heads per block; must divide <see cref="EmbeddingSize"/>.</summary>
    [JsonPropertyName("n_head")] public int Heads { get; init; } = 12;

    /// <summary>Number of transformer blocks.</summary>
    [JsonPropertyName("n_layer")] public int Layers { get; init; } = 12;

    /// <summary>Dropout probability on embeddings, attention weights and residual branches during training.</summary>
    [JsonPropertyName("resid_pdrop")] public double Dropout { get; init; } = 0.1;

    /// <summary>Whether the fused query/key/value projection has a bias (GPT-2 does).</summary>
    [JsonPropertyName("qkv_bias")] public bool QkvBias { get; init; } = true;

    /// <summary>Whether the output head shares its weight with the token embedding (GPT-2 does).</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TiedOutputHead { get; init; } = true;

    /// <summary>Epsilon of every LayerNorm.</summary>
    [JsonPropertyName("layer_norm_epsilon")] public double LayerNormEpsilon { get; init; } = 1e-5;

    /// <summary>Width of one attention head.</summary>
    [JsonIgnore] public int HeadSize => EmbeddingSize / Heads;

    /// <summary>A model small enough for tests: 2 layers, 2 heads, width 32, context 64, GPT-2's vocabulary size.</summary>
    public static GptConfig Tiny { get; } = new() { ContextLength = 64, EmbeddingSize = 32, Heads = 2, Layers = 2, Dropout = 0.0 };

    /// <summary>GPT-2 small: 124M parameters (12 layers, 12 heads, width 768).</summary>
    public static GptConfig Gpt2Small { get; } = new();

    /// <summary>GPT-2 medium: 355M parameters (24 layers, 16 heads, width 1024).</summary>
    public static GptConfig Gpt2Medium { get; } = new() { EmbeddingSize = 1024, Heads = 16, Layers = 24 };

    /// <summary>GPT-2 large: 774M parameters (36 layers, 20 heads, width 1280).</summary>
    public static GptConfig Gpt2Large { get; } = new() { EmbeddingSize = 1280, Heads = 20, Layers = 36 };

    /// <summary>GPT-2 XL: 1558M parameters (48 layers, 25 heads, width 1600).</summary>
    public static GptConfig Gpt2Xl { get; } = new() { EmbeddingSize = 1600, Heads = 25, Layers = 48 };

    /// <summary>Checks that the numbers describe a model that can be built; names the first bad field.</summary>
    /// <exception cref="ArgumentException">A size is not positive, the heads do not divide the width, or dropout is outside [0, 1).</exception>
    public void Validate()
    {
        Require(VocabularySize > 0, nameof(VocabularySize), "must be positive");
        Require(ContextLength > 0, nameof(ContextLength), "must be positive");
        Require(EmbeddingSize > 0, nameof(EmbeddingSize), "must be positive");
        Require(Heads > 0 && EmbeddingSize % Heads == 0, nameof(Heads), $"must be positive and divide EmbeddingSize ({EmbeddingSize})");
        Require(Layers > 0, nameof(Layers), "must be positive");
        Require(Dropout is >= 0 and < 1, nameof(Dropout), "must be in [0, 1)");
        Require(LayerNormEpsilon > 0, nameof(LayerNormEpsilon), "must be positive");
    }

    private void Require(bool condition, string field, string rule)
    {
        if (!condition) throw new ArgumentException($"GptConfig.{field} {rule}; it is {GetType().GetProperty(field)!.GetValue(this)}.", field);
    }
}
