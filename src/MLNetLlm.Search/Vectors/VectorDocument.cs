namespace MLNetLlm.Search;

/// <summary>
/// One document of a <see cref="VectorIndex"/>: its unique id, its vector, and optionally its text (returned with
/// hits and used by reranking), a metadata value that searches may filter on, and where it was cut from (for a chunk
/// of a longer document: <see cref="TextChunker"/> fills these).
/// </summary>
/// <param name="Id">Unique in the index.</param>
/// <param name="Vector">The embedding, of the index's dimension.</param>
/// <param name="Text">The passage's text, or null.</param>
/// <param name="Metadata">A value searches may filter on (a category, a language, a date as text), or null.</param>
/// <param name="SourceId">The document the passage was cut from; null means the passage is its own source.</param>
/// <param name="Start">Where the passage starts in its source, in characters.</param>
/// <param name="Length">The passage's length in its source, in characters; -1 means the length of <paramref name="Text"/>.</param>
public sealed record VectorDocument(string Id, float[] Vector, string? Text = null, string? Metadata = null,
    string? SourceId = null, int Start = 0, int Length = -1);

/// <summary>One result of a vector search, best first.</summary>
/// <param name="Id">The document's id.</param>
/// <param name="Score">Its similarity to the query as the index's <see cref="VectorMetric"/> defines it; higher is better.</param>
/// <param name="Text">Its text, or null when it was indexed without one.</param>
/// <param name="Metadata">Its metadata value, or null.</param>
public sealed record VectorHit(string Id, float Score, string? Text, string? Metadata);
