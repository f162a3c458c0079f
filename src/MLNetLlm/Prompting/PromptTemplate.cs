namespace MLNetLlm.Prompting;

/// <summary>
/// Turns a conversation (system, user and assistant turns) or an instruction example (instruction, optional input,
/// response) into the text a model reads, and says which characters are prompt and which are response, so a
/// fine-tuning loss can be masked to the response. Built-ins: <see cref="PromptTemplates"/>.
/// </summary>
/// <remarks>
/// The text of an example with a response is always its generation prompt followed by the response: rendering the
/// same instruction without a response gives exactly the text the model answers from at inference.
/// </remarks>
public abstract class PromptTemplate
{
    /// <summary>For derived templates.</summary>
    protected PromptTemplate()
    {
    }

    /// <summary>A short name for the format (<c>alpaca</c>, <c>phi3</c>, <c>chatml</c>, <c>llama3</c>, <c>custom</c>).</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Strings that end the model's answer in this format (an end-of-turn marker, the header of a next example);
    /// a generator cuts its text at the first of them.
    /// </summary>
    public abstract IReadOnlyList<string> StopSequences { get; }

    /// <summary>
    /// Renders a conversation. Only the first turn may be a system turn. With <paramref name="addGenerationPrompt"/>
    /// the text ends where the assistant's next answer starts.
    /// </summary>
    /// <exception cref="ArgumentException">No turns, a null turn, a system turn after the first, or an order of turns
    /// the format cannot express (named in the message).</exception>
    public abstract RenderedPrompt Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt);

    /// <summary>
    /// Renders an instruction example. A null <paramref name="response"/> renders the generation prompt only (for
    /// answering); an empty or null <paramref name="input"/> leaves the input out. The default puts the instruction
    /// and the input (after a blank line) in one user turn and the response in an assistant turn.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="instruction"/> is null.</exception>
    public virtual RenderedPrompt RenderInstruction(string instruction, string? input, string? response)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var user = ChatTurn.User(string.IsNullOrEmpty(input) ? instruction : instruction + "\n\n" + input);
        return response is null
            ? Render([user], addGenerationPrompt: true)
            : Render([user, ChatTurn.Assistant(response)], addGenerationPrompt: false);
    }

    /// <summary>The text the model answers <paramref name="instruction"/> from: <see cref="RenderInstruction"/> without a response.</summary>
    public string GenerationPrompt(string instruction, string? input = null) => RenderInstruction(instruction, input, null).Text;

    /// <summary>Checks the shape every template shares: turns present, not null, a system turn only first.</summary>
    /// <exception cref="ArgumentException">The first problem found, with the turn's index.</exception>
    protected static void ValidateTurns(IReadOnlyList<ChatTurn> turns)
    {
        ArgumentNullException.ThrowIfNull(turns);
        if (turns.Count == 0) throw new ArgumentException("The conversation has no turns.", nameof(turns));
        for (int i = 0; i < turns.Count; i++)
        {
            if (turns[i] is null) throw new ArgumentException($"Turn {i} is null.", nameof(turns));
            if (!Enum.IsDefined(turns[i].Role)) throw new ArgumentException($"Turn {i} has an unknown role {turns[i].Role}.", nameof(turns));
            if (turns[i].Role == ChatTurnRole.System && i > 0)
                throw new ArgumentException($"Turn {i} is a system turn; only the first turn may be one.", nameof(turns));
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;
}
