using Microsoft.Extensions.AI;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Any <c>Microsoft.Extensions.AI</c> embedding generator (a hosted service's client, Semantic Kernel's connectors,
/// a user's own) as a <see cref="TextEmbedder"/>, so it feeds <c>EmbedText</c> and everything built on embedders.
/// Made by <see cref="SentenceEmbedders.FromEmbeddingGenerator"/>.
/// </summary>
/// <remarks>
/// The transform's batches go to the generator as they are, waited for synchronously (an ML.NET cursor is synchronous).
/// A pipeline holding this embedder cannot be saved: the generator is the application's object, not something MLNetLlm
/// can write down; saving says so before anything is written.
/// </remarks>
public sealed class EmbeddingGeneratorEmbedder : TextEmbedder
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly bool _ownsGenerator;

    internal EmbeddingGeneratorEmbedder(IEmbeddingGenerator<string, Embedding<float>> generator, int dimension, string name, bool ownsGenerator)
    {
        _generator = generator;
        _ownsGenerator = ownsGenerator;
        Dimension = dimension;
        Name = name;
    }

    /// <summary>The generator behind this embedder.</summary>
    public IEmbeddingGenerator<string, Embedding<float>> Generator => _generator;

    /// <inheritdoc/>
    public override int Dimension { get; }

    /// <inheritdoc/>
    public override string Name { get; }

    /// <inheritdoc/>
    public override string PersistenceKind => "MLNetLlm.EmbeddingGeneratorEmbedder";

    /// <summary>Not supported: the generator is an application object that cannot be saved.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public override void SaveTo(string directory) =>
        throw new NotSupportedException($"{Name} is an IEmbeddingGenerator adapter and cannot be saved with the pipeline; " +
            "save the pipeline without the EmbedText stage, or use an MLNetLlm embedder (SentenceEmbedders.FromOnnx) that saves.");

    /// <inheritdoc/>
    protected override float[][] EmbedCore(IReadOnlyList<string?> texts)
    {
        GeneratedEmbeddings<Embedding<float>> embeddings;
        try
        {
            embeddings = _generator.GenerateAsync(texts.Select(text => text ?? "")).GetAwaiter().GetResult();
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            throw new InvalidOperationException($"The embedding generator {Name} failed on a batch of {texts.Count} texts: {error.Message}", error);
        }
        if (embeddings is null || embeddings.Count != texts.Count)
            throw new InvalidOperationException($"The embedding generator {Name} returned {embeddings?.Count ?? 0} embeddings for {texts.Count} texts.");
        return [.. embeddings.Select(embedding => embedding.Vector.ToArray())];
    }

    /// <inheritdoc/>
    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsGenerator) _generator.Dispose();
        base.Dispose(disposing);
    }
}
