namespace MLNetLlm.Embeddings;

/// <summary>
/// Turns texts into fixed-length vectors: the backend of <c>mlContext.Transforms.Llm.EmbedText</c>. MLNetLlm ships
/// <see cref="OnnxSentenceEmbedder"/> (ONNX Runtime: any ONNX file, and the bundled all-MiniLM-L6-v2 and
/// arctic-embed-xs of the MLNetLlm.Models package); other assemblies add backends (a GPT's pooled hidden states) by
/// deriving from this class and declaring an <see cref="ITextEmbedderLoader"/> (<c>[assembly: LlmLoader(typeof(...))]</c>)
/// so saved models load again.
/// </summary>
/// <remarks>
/// Implementations are safe to call from several threads at once, treat null text as empty text, and return one
/// vector of <see cref="Dimension"/> floats per text, in order. Batching is the caller's choice: the transform sends
/// up to its batch size of texts per call. MLNetLlm's embedders read a text longer than their model's window whole, as
/// <see cref="LongTextOptions"/> say (by default, windows pooled by their length-weighted mean); an embedder that does
/// not override <see cref="EmbedCore(IReadOnlyList{string}, LongTextOptions)"/> reads texts its own way.
/// </remarks>
public abstract partial class TextEmbedder : IDisposable
{
    /// <summary>The length of every vector <see cref="Embed(IReadOnlyList{string})"/> returns.</summary>
    public abstract int Dimension { get; }

    /// <summary>A short description for logs and errors, such as <c>all-MiniLM-L6-v2 (ONNX)</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The kind an <see cref="ITextEmbedderLoader"/> is registered under, such as <c>MLNetLlm.OnnxSentenceEmbedder</c>: stable across versions.</summary>
    public abstract string PersistenceKind { get; }

    /// <summary>
    /// Embeds a batch of texts: one vector of <see cref="Dimension"/> floats per text, in order. Texts longer than the
    /// model's window are read whole as <see cref="LongTextOptions.Default"/> says (windows, length-weighted mean).
    /// </summary>
    /// <param name="texts">The texts; null entries are embedded as the empty text.</param>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    public float[][] Embed(IReadOnlyList<string?> texts) => Embed(texts, LongTextOptions.Default);

    /// <summary>Embeds a batch of texts, reading texts longer than the model's window as <paramref name="longTexts"/> say.</summary>
    /// <param name="texts">The texts; null entries are embedded as the empty text.</param>
    /// <param name="longTexts">Windows and their pooling, or <see cref="LongTextOptions.FirstWindowOnly"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="texts"/> or <paramref name="longTexts"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option of <paramref name="longTexts"/> is out of range.</exception>
    /// <exception cref="ObjectDisposedException">The embedder was disposed.</exception>
    public float[][] Embed(IReadOnlyList<string?> texts, LongTextOptions longTexts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(longTexts);
        longTexts.Validate();
        if (texts.Count == 0)
            return [];
        var vectors = EmbedCore(texts, longTexts);
        if (vectors.Length != texts.Count)
            throw new InvalidOperationException($"{Name} returned {vectors.Length} vectors for {texts.Count} texts.");
        foreach (var vector in vectors)
            if (vector.Length != Dimension)
                throw new InvalidOperationException($"{Name} returned a vector of {vector.Length} floats, not {Dimension}.");
        return vectors;
    }

    /// <summary>Embeds one text (a batch of one).</summary>
    public float[] Embed(string? text) => Embed([text])[0];

    /// <summary>
    /// The assembly that declares the loader of <see cref="PersistenceKind"/>, recorded in saved models so loading can
    /// find it: the embedder type's own assembly, except for a bundled model (whose loader comes with its package).
    /// </summary>
    internal virtual string? LoaderAssemblyName => GetType().Assembly.GetName().Name;

    /// <summary>Writes what rebuilds the embedder into an existing empty directory (read back by the loader of <see cref="PersistenceKind"/>).</summary>
    public abstract void SaveTo(string directory);

    /// <summary>Embeds a non-empty batch; null entries are empty texts.</summary>
    protected abstract float[][] EmbedCore(IReadOnlyList<string?> texts);

    /// <summary>
    /// Embeds a non-empty batch, reading long texts as <paramref name="longTexts"/> (validated) say. MLNetLlm's
    /// embedders override it with <see cref="WindowedEmbedding.Embed"/>; the default ignores <paramref name="longTexts"/>
    /// and calls <see cref="EmbedCore(IReadOnlyList{string})"/>.
    /// </summary>
    protected virtual float[][] EmbedCore(IReadOnlyList<string?> texts, LongTextOptions longTexts) => EmbedCore(texts);

    /// <summary>Releases the embedder's native resources (an ONNX session, tensors). A shared bundled embedder ignores it.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources; <paramref name="disposing"/> is false from a finalizer.</summary>
    protected virtual void Dispose(bool disposing)
    {
    }
}
