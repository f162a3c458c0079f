using Microsoft.Extensions.AI;

namespace MLNetLlm.Retrieval;

/// <summary>A grounded answer: its text, the numbered sources it was given and those it cited.</summary>
public sealed record RagAnswer
{
    /// <summary>The question asked.</summary>
    public required string Question { get; init; }

    /// <summary>The answer's text, as the chat client returned it.</summary>
    public required string Text { get; init; }

    /// <summary>Every passage put in the prompt, numbered from 1 in the retriever's order (best first).</summary>
    public required IReadOnlyList<RagSource> Sources { get; init; }

    /// <summary>The sources the answer cites with <c>[n]</c> (or <c>[n, m]</c>) markers, in order of first citation.</summary>
    public required IReadOnlyList<RagSource> Citations { get; init; }

    /// <summary>Numbers cited that match no source (a model inventing a source), in order of first citation.</summary>
    public required IReadOnlyList<int> UnknownCitations { get; init; }

    /// <summary>The token counts the chat client reported, if any.</summary>
    public UsageDetails? Usage { get; init; }
}
