using System.Numerics.Tensors;
using MLNetLlm.Embeddings;

namespace MLNetLlm.Search;

/// <summary>
/// What identifies the embedder an index was built with: its kind, name and dimension, and its vectors for three fixed
/// probe sentences. Two embedders match when kind and dimension agree and every probe vector has a cosine of at least
/// 0.999 with the recorded one, so the same weights on another machine match and other weights (another model, a
/// fine-tuned copy) do not.
/// </summary>
/// <param name="Kind">The embedder's <see cref="TextEmbedder.PersistenceKind"/>.</param>
/// <param name="Name">The embedder's <see cref="TextEmbedder.Name"/>, for messages.</param>
/// <param name="Dimension">The embedder's <see cref="TextEmbedder.Dimension"/>.</param>
/// <param name="Probes">The embedder's vectors for the probe sentences.</param>
public sealed record EmbedderFingerprint(string Kind, string Name, int Dimension, float[][] Probes)
{
    private const float SameVectors = 0.999f;

    private static readonly string[] ProbeTexts =
    [
        "The quick brown fox jumps over the lazy dog.",
        "A bank is a financial institution that accepts deposits.",
        "semantic search",
    ];

    /// <summary>The fingerprint of <paramref name="embedder"/> (embeds the three probe sentences).</summary>
    public static EmbedderFingerprint Of(TextEmbedder embedder)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        return new EmbedderFingerprint(embedder.PersistenceKind, embedder.Name, embedder.Dimension, embedder.Embed(ProbeTexts));
    }

    /// <summary>Throws unless <paramref name="embedder"/> is the one this fingerprint was taken of.</summary>
    /// <exception cref="InvalidDataException">The embedder differs: the message says how and what to do.</exception>
    public void Require(TextEmbedder embedder, string what)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        if (embedder.PersistenceKind != Kind || embedder.Dimension != Dimension)
            throw Mismatch(embedder, what, $"it is {embedder.PersistenceKind} with {embedder.Dimension} dimensions, the index was built with {Kind} with {Dimension}");
        if (Probes.Length != ProbeTexts.Length || Probes.Any(p => p.Length != Dimension))
            throw new InvalidDataException($"{what} holds a damaged embedder fingerprint.");
        var vectors = embedder.Embed(ProbeTexts);
        for (var i = 0; i < vectors.Length; i++)
        {
            var cosine = TensorPrimitives.CosineSimilarity(vectors[i], Probes[i]);
            if (!(cosine >= SameVectors))
                throw Mismatch(embedder, what, $"its vector for a probe sentence has a cosine of {cosine:F3} with the recorded one");
        }
    }

    private InvalidDataException Mismatch(TextEmbedder embedder, string what, string how) =>
        new($"{what} was built with embeddings of {Name}, and the embedder given ({embedder.Name}) is another one: {how}. " +
            "Load it with the embedder it was built with, or rebuild the index with this one.");
}
