namespace MLNetLlm.Retrieval;

/// <summary>A retrieved passage as the grounded prompt numbered it: an answer cites it as <c>[Number]</c>.</summary>
/// <param name="Number">Its number in the prompt, from 1.</param>
/// <param name="Passage">The passage, with its source document and offsets.</param>
public sealed record RagSource(int Number, RetrievedPassage Passage);
