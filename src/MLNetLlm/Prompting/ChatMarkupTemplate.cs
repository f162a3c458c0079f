namespace MLNetLlm.Prompting;

/// <summary>
/// A chat format built of role headers and an end-of-turn marker (Phi-3, ChatML, Llama-3): each turn is
/// <c>header(role) + content + endOfTurn + separator</c> after an optional start text; the generation prompt is the
/// assistant's header. Response spans are an assistant's content and its end-of-turn marker (so the model learns to
/// stop); headers and separators are prompt.
/// </summary>
internal sealed class ChatMarkupTemplate(
    string name,
    string start,
    Func<ChatTurnRole, string> header,
    string endOfTurn,
    string separator,
    bool trimContent,
    IReadOnlyList<string> stopSequences) : PromptTemplate
{
    public override string Name => name;

    public override IReadOnlyList<string> StopSequences => stopSequences;

    public override RenderedPrompt Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
    {
        ValidateTurns(turns);
        var builder = new RenderedPromptBuilder().Prompt(start);
        foreach (var turn in turns)
        {
            builder.Prompt(header(turn.Role));
            string content = trimContent ? turn.Content.Trim() : turn.Content;
            if (turn.Role == ChatTurnRole.Assistant) builder.Response(content).Response(endOfTurn);
            else builder.Prompt(content).Prompt(endOfTurn);
            builder.Prompt(separator);
        }
        if (addGenerationPrompt) builder.Prompt(header(ChatTurnRole.Assistant));
        return builder.Build();
    }

    internal static string RoleName(ChatTurnRole role) => role switch
    {
        ChatTurnRole.System => "system",
        ChatTurnRole.User => "user",
        ChatTurnRole.Assistant => "assistant",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, "Unknown role."),
    };
}
