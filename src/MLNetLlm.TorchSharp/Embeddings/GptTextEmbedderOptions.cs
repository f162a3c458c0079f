using MLNetLlm.Embeddings;

namespace MLNetLlm.TorchSharp.Embeddings;

/// <summary>How a <see cref="GptTextEmbedder"/> turns a GPT's final hidden states into one vector per text.</summary>
public sealed record GptTextEmbedderOptions
{
    /// <summary>
    /// <see cref="EmbeddingPooling.Mean"/> (the default) averages the hidden states of the text's tokens;
    /// <see cref="EmbeddingPooling.LastToken"/> takes the last token's, the only one that has attended to the whole text.
    /// </summary>
    public EmbeddingPooling Pooling { get; init; } = EmbeddingPooling.Mean;

    /// <summary>Whether each vector is scaled to Euclidean length 1 (so a dot product is the cosine similarity). Default true.</summary>
    public bool Normalize { get; init; } = true;

    /// <summary>The window in tokens: longer texts are read in windows of this length (see <see cref="LongTextOptions"/>), or cut to it with <see cref="LongTextOptions.FirstWindowOnly"/>. Default (null): the model's context length.</summary>
    public int? MaxTokens { get; init; }
}
