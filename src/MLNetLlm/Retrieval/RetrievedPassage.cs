namespace MLNetLlm.Retrieval;

/// <summary>
/// One passage a retriever found: where it comes from (the source document's id and the character span of the passage
/// inside it, so an answer can cite it), its text and the retriever's score (higher is better; scores of different
/// retrievers are not comparable).
/// </summary>
/// <param name="Id">The passage's id, unique in its corpus.</param>
/// <param name="Text">The passage's text.</param>
/// <param name="Score">The retriever's relevance score, higher is better.</param>
/// <param name="SourceId">The id of the document the passage was cut from; the passage's own id when it was not cut.</param>
/// <param name="Start">Where the passage starts in its source document, in characters.</param>
/// <param name="Length">The passage's length in its source document, in characters.</param>
public sealed record RetrievedPassage(string Id, string Text, double Score, string SourceId, int Start, int Length);
