namespace MLNetLlm.Search;

/// <summary>
/// A document of a <see cref="VectorIndex"/> as a <c>Microsoft.Extensions.VectorData</c> record, read and written
/// through <see cref="VectorIndexCollection"/>: the fields of <see cref="VectorDocument"/>, the vector as
/// <see cref="ReadOnlyMemory{T}"/> as vector stores carry it.
/// </summary>
public sealed class VectorIndexRecord
{
    /// <summary>The document's id, the collection's key; unique and not blank.</summary>
    public string Id { get; set; } = "";

    /// <summary>
    /// The embedding, of the index's dimension. On upsert it may be left empty when <see cref="Text"/> is set and the
    /// index has an embedder (the text is embedded then). Read back only when the retrieval options ask for vectors,
    /// as the index stores it (normalised for cosine by the exact engine).
    /// </summary>
    public ReadOnlyMemory<float> Vector { get; set; }

    /// <summary>The passage's text, or null.</summary>
    public string? Text { get; set; }

    /// <summary>A value to filter on (a category, a language, a date as text), or null.</summary>
    public string? Metadata { get; set; }

    /// <summary>The document the passage was cut from; null means the passage is its own source.</summary>
    public string? SourceId { get; set; }

    /// <summary>Where the passage starts in its source, in characters.</summary>
    public int Start { get; set; }

    /// <summary>The passage's length in its source, in characters; -1 means the length of <see cref="Text"/>.</summary>
    public int Length { get; set; } = -1;
}
