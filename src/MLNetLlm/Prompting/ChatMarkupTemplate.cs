namespace MLNetLlm.Prompting;

/// <summary>
/// A chat format built of role headers and an end-of-turn marker (Phi-3, ChatML, Llama-3, Zephyr, Gemma): each turn is
/// <c>header(role) + content + endOfTurn + separator</c> after an optional start text; the generation prompt is the
/// assistant's header. Response spans are an assistant's content and its end-of-turn marker (so the model learns to
/// stop); headers and separators are prompt.
/// </summary>
/// <remarks>
/// Hugging Face templates add to that shape: a system turn written when the conversation has none
/// (<paramref name="defaultSystem"/>: Qwen's and SmolLM's greeting, Llama 3.1's empty one), a fixed text before the
/// system content (<paramref name="systemPrefix"/>: Llama 3.1's knowledge and today dates), no system turn at all with
/// strict user/assistant alternation (<paramref name="systemTurns"/> false: Gemma).
/// </remarks>
internal sealed class ChatMarkupTemplate(
    string name,
    string start,
    Func<ChatTurnRole, string> header,
    string endOfTurn,
    string separator,
    bool trimContent,
    IReadOnlyList<string> stopSequences,
    string? defaultSystem = null,
    string systemPrefix = "",
    bool systemTurns = true) : PromptTemplate
{
    public override string Name => name;

    public override IReadOnlyList<string> StopSequences => stopSequences;

    public override RenderedPrompt Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
    {
        ValidateTurns(turns);
        if (!systemTurns && turns[0].Role == ChatTurnRole.System)
            throw new ArgumentException($"The {name} template has no system turn (its chat template refuses one); put the instructions in the first user turn.", nameof(turns));
        if (!systemTurns)
            InstMarkupTemplate.RequireAlternation(turns, name, first: 0);
        var builder = new RenderedPromptBuilder().Prompt(start);
        if (turns[0].Role != ChatTurnRole.System && defaultSystem is not null)
            AppendTurn(builder, ChatTurn.System(defaultSystem));
        foreach (var turn in turns)
            AppendTurn(builder, turn);
        if (addGenerationPrompt) builder.Prompt(header(ChatTurnRole.Assistant));
        return builder.Build();
    }

    private void AppendTurn(RenderedPromptBuilder builder, ChatTurn turn)
    {
        builder.Prompt(header(turn.Role));
        string content = trimContent ? turn.Content.Trim() : turn.Content;
        if (turn.Role == ChatTurnRole.System) content = systemPrefix + content;
        if (turn.Role == ChatTurnRole.Assistant) builder.Response(content).Response(endOfTurn);
        else builder.Prompt(content).Prompt(endOfTurn);
        builder.Prompt(separator);
    }

    internal static string RoleName(ChatTurnRole role) => role switch
    {
        ChatTurnRole.System => "system",
        ChatTurnRole.User => "user",
        ChatTurnRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };
}
