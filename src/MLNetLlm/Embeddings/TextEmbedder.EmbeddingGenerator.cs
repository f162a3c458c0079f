using Microsoft.Extensions.AI;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Every MLNetLlm embedder (the ONNX sentence embedders, the TorchSharp encoders and GPT embedder) is a
/// <c>Microsoft.Extensions.AI</c> embedding generator, so it plugs into Semantic Kernel and any app written against
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>.
/// </summary>
public abstract partial class TextEmbedder : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>
    /// Embeds <paramref name="values"/> (one batch, computed synchronously on the calling thread) as
    /// <see cref="Embed(IReadOnlyList{string})"/> does; each embedding carries <see cref="Name"/> as its model id.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="values"/> is null.</exception>
    /// <exception cref="NotSupportedException"><see cref="EmbeddingGenerationOptions.Dimensions"/> asks for another length than <see cref="Dimension"/>.</exception>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is int dimensions && dimensions != Dimension)
            throw new NotSupportedException($"{Name} embeds in {Dimension} dimensions; it cannot give {dimensions}.");
        cancellationToken.ThrowIfCancellationRequested();
        var vectors = Embed([.. values]);
        var created = DateTimeOffset.UtcNow;
        return Task.FromResult(new GeneratedEmbeddings<Embedding<float>>(
            vectors.Select(vector => new Embedding<float>(vector) { ModelId = Name, CreatedAt = created })));
    }

    /// <summary>
    /// The <see cref="EmbeddingGeneratorMetadata"/> (provider <c>MLNetLlm</c>, model id <see cref="Name"/>, dimensions
    /// <see cref="Dimension"/>) or the embedder itself when asked for a type it is; null otherwise or for a keyed request.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="serviceType"/> is null.</exception>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return new EmbeddingGeneratorMetadata("MLNetLlm", null, Name, Dimension);
        return serviceType.IsInstanceOfType(this) ? this : null;
    }
}
