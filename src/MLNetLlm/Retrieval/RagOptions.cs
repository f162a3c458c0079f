using Microsoft.Extensions.AI;

namespace MLNetLlm.Retrieval;

/// <summary>How a <see cref="RetrievalAugmentedGenerator"/> retrieves, builds its grounded prompt and asks the chat client.</summary>
public sealed record RagOptions
{
    /// <summary>The instructions of the default prompt.</summary>
    public const string DefaultInstructions =
        "Answer the question using only the numbered sources. Cite each source you use by its number in square brackets, "
        + "such as [1]. If the sources do not hold the answer, say that you do not know.";

    /// <summary>How many passages to retrieve for a question. Default 4.</summary>
    public int PassageCount { get; init; } = 4;

    /// <summary>The system message sent before the question. Default <see cref="DefaultInstructions"/>; null or empty sends none.</summary>
    public string? Instructions { get; init; } = DefaultInstructions;

    /// <summary>
    /// The user message, with the slots <c>{sources}</c> (the passages, one a line as <c>[n] text</c>) and
    /// <c>{question}</c>, each exactly once. Default <c>"Sources:\n{sources}\n\nQuestion: {question}"</c>.
    /// </summary>
    public string PromptFormat { get; init; } = "Sources:\n{sources}\n\nQuestion: {question}";

    /// <summary>Longest passage text put in the prompt, in characters (longer ones are cut), so small models' contexts
    /// fit. Null (the default) keeps passages whole.</summary>
    public int? MaxPassageCharacters { get; init; }

    /// <summary>Options for the chat client (temperature, output tokens, seed). Null (the default) leaves its defaults.</summary>
    public ChatOptions? ChatOptions { get; init; }

    /// <summary>How long one answer may take before the request is abandoned with a <see cref="ChatEndpointException"/>
    /// (no retry). Default 5 minutes; null waits as long as the caller's cancellation token allows.</summary>
    public TimeSpan? Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Checks every setting; names the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count, length or timeout is not positive.</exception>
    /// <exception cref="ArgumentException"><see cref="PromptFormat"/> lacks a slot or repeats one.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(PassageCount, nameof(PassageCount));
        if (MaxPassageCharacters is int max) ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(MaxPassageCharacters));
        if (Timeout is TimeSpan timeout && timeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(Timeout), timeout, "Timeout must be positive, or null for none.");
        ArgumentNullException.ThrowIfNull(PromptFormat, nameof(PromptFormat));
        foreach (var slot in new[] { "{sources}", "{question}" })
        {
            int first = PromptFormat.IndexOf(slot, StringComparison.Ordinal);
            if (first < 0) throw new ArgumentException($"PromptFormat has no {slot} slot: \"{PromptFormat}\".", nameof(PromptFormat));
            if (PromptFormat.IndexOf(slot, first + 1, StringComparison.Ordinal) >= 0)
                throw new ArgumentException($"PromptFormat has the {slot} slot more than once: \"{PromptFormat}\".", nameof(PromptFormat));
        }
    }
}
