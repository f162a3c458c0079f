namespace MLNetLlm.Retrieval;

/// <summary>
/// One piece of a streamed grounded answer: the next text as it arrives; the last update carries the whole
/// <see cref="RagAnswer"/> (text, sources, citations) and no new text.
/// </summary>
/// <param name="Text">New text of the answer; empty in the last update.</param>
/// <param name="Answer">The finished answer, in the last update only.</param>
public sealed record RagUpdate(string Text, RagAnswer? Answer = null);
