namespace MLNetLlm.Prompting;

/// <summary>One message of a conversation that a <see cref="PromptTemplate"/> renders.</summary>
/// <param name="Role">Who speaks.</param>
/// <param name="Content">What is said; may be empty, never null.</param>
public sealed record ChatTurn(ChatTurnRole Role, string Content)
{
    /// <summary>What is said; may be empty, never null.</summary>
    public string Content { get; init; } = Content ?? throw new ArgumentNullException(nameof(Content));

    /// <summary>A system turn.</summary>
    public static ChatTurn System(string content) => new(ChatTurnRole.System, content);

    /// <summary>A user turn.</summary>
    public static ChatTurn User(string content) => new(ChatTurnRole.User, content);

    /// <summary>An assistant turn.</summary>
    public static ChatTurn Assistant(string content) => new(ChatTurnRole.Assistant, content);
}
