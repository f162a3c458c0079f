namespace MLNetLlm.Prompting;

/// <summary>
/// A template written as a format string with slots (see <see cref="PromptTemplates.FromFormat"/>). Text up to the
/// <c>{response}</c> slot is prompt, the response and any text after it (an end marker) are response. A conversation
/// renders as one example per user/assistant pair, the system slot filled in the first only.
/// </summary>
internal sealed class FormatPromptTemplate : PromptTemplate
{
    private const string SystemSlot = "system", InstructionSlot = "instruction", InputSlot = "input", ResponseSlot = "response";
    private static readonly string[] Slots = [SystemSlot, InstructionSlot, InputSlot, ResponseSlot];

    private readonly IReadOnlyList<FormatPiece> _pieces;
    private readonly IReadOnlyList<FormatPiece> _inputPieces;
    private readonly string _defaultSystem;

    public FormatPromptTemplate(string format, string inputFormat, string defaultSystem, IReadOnlyList<string> stopSequences, string name)
    {
        ArgumentNullException.ThrowIfNull(format);
        ArgumentNullException.ThrowIfNull(inputFormat);
        ArgumentNullException.ThrowIfNull(defaultSystem);
        ArgumentNullException.ThrowIfNull(stopSequences);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        _pieces = Parse(format, nameof(format), Slots);
        RequireOnce(_pieces, ResponseSlot, format, nameof(format), "the answer goes there, and the loss is masked around it");
        RequireOnce(_pieces, InstructionSlot, format, nameof(format), "the instruction or user message goes there");
        foreach (var slot in new[] { SystemSlot, InputSlot })
            if (_pieces.Count(piece => piece.Slot == slot) > 1)
                throw new ArgumentException($"The format has the {{{slot}}} slot more than once: \"{format}\".", nameof(format));
        int response = IndexOfSlot(_pieces, ResponseSlot);
        if (_pieces.Skip(response + 1).FirstOrDefault(piece => piece.Slot is not null) is { } late)
            throw new ArgumentException($"The {{{late.Slot}}} slot comes after {{response}}; everything after the response is the response's end marker: \"{format}\".", nameof(format));
        _inputPieces = Parse(inputFormat, nameof(inputFormat), [InputSlot]);
        RequireOnce(_inputPieces, InputSlot, inputFormat, nameof(inputFormat), "the input goes there");
        if (stopSequences.Any(string.IsNullOrEmpty)) throw new ArgumentException("A stop sequence is null or empty.", nameof(stopSequences));
        _defaultSystem = defaultSystem;
        StopSequences = [.. stopSequences];
        Name = name;
    }

    public override string Name { get; }

    public override IReadOnlyList<string> StopSequences { get; }

    public override RenderedPrompt RenderInstruction(string instruction, string? input, string? response)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        var builder = new RenderedPromptBuilder();
        AppendExample(builder, _defaultSystem, instruction, input, response);
        return builder.Build();
    }

    public override RenderedPrompt Render(IReadOnlyList<ChatTurn> turns, bool addGenerationPrompt)
    {
        ValidateTurns(turns);
        int first = turns[0].Role == ChatTurnRole.System ? 1 : 0;
        string system = first == 1 ? turns[0].Content : _defaultSystem;
        if (first == 1 && system.Length > 0 && IndexOfSlot(_pieces, SystemSlot) < 0)
            throw new ArgumentException($"The {Name} template has no {{system}} slot for the system turn.", nameof(turns));
        if (first == turns.Count) throw new ArgumentException("The conversation has a system turn and nothing else; add a user turn.", nameof(turns));
        if (addGenerationPrompt && turns[^1].Role == ChatTurnRole.Assistant)
            throw new ArgumentException($"The conversation already ends with an assistant turn; the {Name} template cannot add a generation prompt without a new user turn.", nameof(turns));
        var builder = new RenderedPromptBuilder();
        for (int i = first; i < turns.Count; i += 2)
        {
            if (turns[i].Role != ChatTurnRole.User)
                throw new ArgumentException($"Turn {i} is a {turns[i].Role} turn where the {Name} template expects a user turn: it renders user/assistant pairs.", nameof(turns));
            string? answer = null;
            if (i + 1 < turns.Count)
            {
                if (turns[i + 1].Role != ChatTurnRole.Assistant)
                    throw new ArgumentException($"Turn {i + 1} is a {turns[i + 1].Role} turn where the {Name} template expects an assistant turn: it renders user/assistant pairs.", nameof(turns));
                answer = turns[i + 1].Content;
            }
            else if (!addGenerationPrompt)
                throw new ArgumentException($"The conversation ends with a user turn (turn {i}); the {Name} template always ends such a turn with the response header, so set addGenerationPrompt.", nameof(turns));
            AppendExample(builder, i == first ? system : "", turns[i].Content, null, answer);
        }
        return builder.Build();
    }

    private void AppendExample(RenderedPromptBuilder builder, string system, string instruction, string? input, string? response)
    {
        if (!string.IsNullOrEmpty(input) && IndexOfSlot(_pieces, InputSlot) < 0)
            throw new ArgumentException($"The {Name} template has no {{input}} slot, and the example has an input.", nameof(input));
        bool inResponse = false;
        foreach (var piece in _pieces)
        {
            if (piece.Slot == ResponseSlot)
            {
                if (response is null) return;
                builder.Response(response);
                inResponse = true;
                continue;
            }
            string text = piece.Slot switch
            {
                null => piece.Text,
                SystemSlot => system,
                InstructionSlot => instruction,
                _ => string.IsNullOrEmpty(input) ? "" : string.Concat(_inputPieces.Select(p => p.Slot is null ? p.Text : input)),
            };
            if (inResponse) builder.Response(text);
            else builder.Prompt(text);
        }
    }

    private static List<FormatPiece> Parse(string format, string parameter, string[] allowed)
    {
        var pieces = new List<FormatPiece>();
        var literal = new System.Text.StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            if ((c == '{' || c == '}') && i + 1 < format.Length && format[i + 1] == c)
            {
                literal.Append(c);
                i++;
            }
            else if (c == '{')
            {
                int close = format.IndexOf('}', i + 1);
                if (close < 0) throw new ArgumentException($"The format has a '{{' at {i} that is never closed; write '{{{{' for a literal brace: \"{format}\".", parameter);
                string slot = format[(i + 1)..close];
                if (!allowed.Contains(slot))
                    throw new ArgumentException($"The format has an unknown slot {{{slot}}}; the slots are {string.Join(", ", allowed.Select(s => "{" + s + "}"))} (write '{{{{' and '}}}}' for literal braces).", parameter);
                if (literal.Length > 0) pieces.Add(new FormatPiece(literal.ToString(), null));
                literal.Clear();
                pieces.Add(new FormatPiece("", slot));
                i = close;
            }
            else if (c == '}')
                throw new ArgumentException($"The format has a '}}' at {i} that closes nothing; write '}}}}' for a literal brace: \"{format}\".", parameter);
            else literal.Append(c);
        }
        if (literal.Length > 0) pieces.Add(new FormatPiece(literal.ToString(), null));
        return pieces;
    }

    private static void RequireOnce(IReadOnlyList<FormatPiece> pieces, string slot, string format, string parameter, string why)
    {
        int count = pieces.Count(piece => piece.Slot == slot);
        if (count == 0) throw new ArgumentException($"The format has no {{{slot}}} slot ({why}): \"{format}\".", parameter);
        if (count > 1) throw new ArgumentException($"The format has the {{{slot}}} slot {count} times; give it once: \"{format}\".", parameter);
    }

    private static int IndexOfSlot(IReadOnlyList<FormatPiece> pieces, string slot)
    {
        for (int i = 0; i < pieces.Count; i++)
            if (pieces[i].Slot == slot) return i;
        return -1;
    }

    private sealed record FormatPiece(string Text, string? Slot);
}
