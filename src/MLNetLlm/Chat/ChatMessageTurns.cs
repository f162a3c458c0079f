using Microsoft.Extensions.AI;
using MLNetLlm.Prompting;

namespace MLNetLlm.Chat;

/// <summary>Maps <c>Microsoft.Extensions.AI</c> chat messages onto the turns a <see cref="PromptTemplate"/> renders.</summary>
internal static class ChatMessageTurns
{
    /// <summary>
    /// The turns of <paramref name="messages"/>: leading system messages and <paramref name="instructions"/> become
    /// one system turn (joined by blank lines); user and assistant messages keep their text.
    /// </summary>
    /// <exception cref="NotSupportedException">A tool message, or content other than text (images, function calls).</exception>
    public static List<ChatTurn> From(IEnumerable<ChatMessage> messages, string? instructions)
    {
        var turns = new List<ChatTurn>();
        var system = new List<string>();
        if (!string.IsNullOrEmpty(instructions)) system.Add(instructions);
        int index = 0;
        foreach (var message in messages)
        {
            if (message is null) throw new ArgumentException($"Message {index} is null.", nameof(messages));
            string text = TextOf(message, index);
            if (message.Role == ChatRole.System && turns.Count == 0) system.Add(text);
            else turns.Add(new ChatTurn(RoleOf(message.Role, index), text));
            index++;
        }
        if (system.Count > 0) turns.Insert(0, ChatTurn.System(string.Join("\n\n", system)));
        return turns;
    }

    private static ChatTurnRole RoleOf(ChatRole role, int index) =>
        role == ChatRole.User ? ChatTurnRole.User
        : role == ChatRole.Assistant ? ChatTurnRole.Assistant
        : role == ChatRole.System ? ChatTurnRole.System
        : throw new NotSupportedException($"Message {index} has the role '{role}'; MLNetLlm's chat client reads system, user and assistant messages only (no tools).");

    private static string TextOf(ChatMessage message, int index)
    {
        foreach (var content in message.Contents)
            if (content is not (TextContent or TextReasoningContent or UsageContent))
                throw new NotSupportedException($"Message {index} holds {content.GetType().Name}; MLNetLlm's chat client reads text only.");
        return string.Concat(message.Contents.OfType<TextContent>().Select(content => content.Text));
    }
}
