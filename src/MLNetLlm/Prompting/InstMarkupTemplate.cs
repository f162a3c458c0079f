namespace MLNetLlm.Prompting;

/// <summary>
/// The <c>[INST]</c> formats of Llama 2 chat and Mistral: user turns wrapped in <c>[INST] ... [/INST]</c>, assistant
/// turns after them ended by the end-of-sentence token, strict user/assistant alternation. The text after a user turn
/// is already where the answer starts, so the generation prompt adds nothing.
/// </summary>
/// <remarks>
/// Llama 2 (<paramref name="llama2"/>): every user turn starts with the beginning token, the system turn goes in a
/// <c>&lt;&lt;SYS&gt;&gt;</c> block at the start of the first user turn, contents are trimmed and an answer is written
/// <c>" " + answer + " " + eos</c>. Mistral: the beginning token once, no system turn, contents as given, an answer is
/// <c>answer + eos</c> followed by <paramref name="afterAnswer"/> (a space in Mistral 7B v0.1's template).
/// </remarks>
internal sealed class InstMarkupTemplate(string name, bool llama2, string beginning, string end, string afterAnswer) : PromptTemplate
{
    public override string Name => name;

    public override IReadOnlyList<string> StopSequences { get; } = [end];

    public override RenderedPrompt Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
    {
        ValidateTurns(turns);
        bool hasSystem = turns[0].Role == ChatTurnRole.System;
        if (hasSystem && !llama2)
            throw new ArgumentException($"The {name} template has no system turn (its chat template refuses one); put the instructions in the first user turn.", nameof(turns));
        int first = hasSystem ? 1 : 0;
        RequireAlternation(turns, name, first);
        if (first == turns.Count)
            throw new ArgumentException("The conversation has a system turn and nothing else; add a user turn.", nameof(turns));

        var builder = new RenderedPromptBuilder();
        if (!llama2) builder.Prompt(beginning);
        for (int i = first; i < turns.Count; i++)
        {
            string content = turns[i].Content;
            if (turns[i].Role == ChatTurnRole.User)
            {
                if (llama2 && hasSystem && i == first)
                    content = "<<SYS>>\n" + turns[0].Content + "\n<</SYS>>\n\n" + content;
                builder.Prompt((llama2 ? beginning : "") + "[INST] " + (llama2 ? content.Trim() : content) + " [/INST]");
            }
            else if (llama2)
                builder.Prompt(" ").Response(content.Trim() + " " + end);
            else
                builder.Response(content + end).Prompt(afterAnswer);
        }
        return builder.Build();
    }

    /// <summary>Checks that turns from <paramref name="first"/> on go user, assistant, user, ... as the strict templates require.</summary>
    /// <exception cref="ArgumentException">The first turn out of order, with its index.</exception>
    internal static void RequireAlternation(IReadOnlyList<ChatTurn> turns, string name, int first)
    {
        for (int i = first; i < turns.Count; i++)
        {
            var expected = (i - first) % 2 == 0 ? ChatTurnRole.User : ChatTurnRole.Assistant;
            if (turns[i].Role != expected)
                throw new ArgumentException($"Turn {i} is a {turns[i].Role} turn where the {name} template expects a {expected} turn: its turns alternate user/assistant{(first == 0 ? "" : " after the system turn")}.", nameof(turns));
        }
    }
}
