namespace MLNetLlm.Prompting;

/// <summary>
/// The built-in prompt and chat formats, and user-defined ones from a format string. Each renders conversations and
/// instruction examples with their prompt and response spans (<see cref="PromptTemplate"/>).
/// </summary>
public static partial class PromptTemplates
{
    /// <summary>The Alpaca preamble, as "Build a Large Language Model from Scratch" chapter 7 writes it.</summary>
    public const string AlpacaPreamble = "Below is an instruction that describes a task. Write a response that appropriately completes the request.";

    /// <summary>
    /// The Alpaca format of "Build a Large Language Model from Scratch" chapter 7, exactly:
    /// the preamble, <c>"\n\n### Instruction:\n{instruction}"</c>, <c>"\n\n### Input:\n{input}"</c> only when the
    /// input is non-empty, then <c>"\n\n### Response:\n{response}"</c>. The response span is the response text; the
    /// end-of-text token the book appends is the collator's, not the template's. A system turn replaces the preamble;
    /// each further user/assistant pair adds an Instruction/Response block. Stops at the header of a next block.
    /// </summary>
    public static PromptTemplate Alpaca { get; } = new FormatPromptTemplate(
        "{system}\n\n### Instruction:\n{instruction}{input}\n\n### Response:\n{response}",
        "\n\n### Input:\n{input}",
        AlpacaPreamble,
        ["\n\n### Instruction:", "\n\n### Input:", "\n\n### Response:"],
        "alpaca");

    /// <summary>
    /// Microsoft's Phi-3 chat format: <c>&lt;|role|&gt;\n{content}&lt;|end|&gt;\n</c> per turn (roles system, user,
    /// assistant), generation prompt <c>&lt;|assistant|&gt;\n</c>, stop at <c>&lt;|end|&gt;</c> or <c>&lt;|endoftext|&gt;</c>.
    /// </summary>
    public static PromptTemplate Phi3 { get; } = new ChatMarkupTemplate(
        "phi3", "", role => $"<|{ChatMarkupTemplate.RoleName(role)}|>\n", "<|end|>", "\n", trimContent: false,
        ["<|end|>", "<|endoftext|>"]);

    /// <summary>
    /// ChatML (OpenAI, Qwen, SmolLM): <c>&lt;|im_start|&gt;role\n{content}&lt;|im_end|&gt;\n</c> per turn, generation
    /// prompt <c>&lt;|im_start|&gt;assistant\n</c>, stop at <c>&lt;|im_end|&gt;</c>.
    /// </summary>
    public static PromptTemplate ChatMl { get; } = new ChatMarkupTemplate(
        "chatml", "", role => $"<|im_start|>{ChatMarkupTemplate.RoleName(role)}\n", "<|im_end|>", "\n", trimContent: false,
        ["<|im_end|>"]);

    /// <summary>
    /// Meta's Llama-3 chat format: <c>&lt;|begin_of_text|&gt;</c>, then per turn
    /// <c>&lt;|start_header_id|&gt;role&lt;|end_header_id|&gt;\n\n{content}&lt;|eot_id|&gt;</c> with the content trimmed
    /// (as Meta's template does), generation prompt <c>&lt;|start_header_id|&gt;assistant&lt;|end_header_id|&gt;\n\n</c>,
    /// stop at <c>&lt;|eot_id|&gt;</c> or <c>&lt;|end_of_text|&gt;</c>.
    /// </summary>
    public static PromptTemplate Llama3 { get; } = new ChatMarkupTemplate(
        "llama3", "<|begin_of_text|>", role => $"<|start_header_id|>{ChatMarkupTemplate.RoleName(role)}<|end_header_id|>\n\n", "<|eot_id|>", "",
        trimContent: true, ["<|eot_id|>", "<|end_of_text|>"]);

    /// <summary>
    /// Meta's Llama 2 chat format: <c>&lt;s&gt;[INST] {user} [/INST] {answer} &lt;/s&gt;</c> per exchange, contents
    /// trimmed, the system turn in a <c>&lt;&lt;SYS&gt;&gt;\n{system}\n&lt;&lt;/SYS&gt;&gt;\n\n</c> block at the start of the first
    /// user turn; turns alternate user/assistant. Stops at <c>&lt;/s&gt;</c>.
    /// </summary>
    public static PromptTemplate Llama2 { get; } = new InstMarkupTemplate("llama2", llama2: true, "<s>", "</s>", "");

    /// <summary>
    /// Mistral's and Mixtral's instruct format (v0.1): <c>&lt;s&gt;</c>, then <c>[INST] {user} [/INST]{answer}&lt;/s&gt;</c>
    /// per exchange, contents as given, no system turn; turns alternate user/assistant. Stops at <c>&lt;/s&gt;</c>.
    /// </summary>
    public static PromptTemplate Mistral { get; } = new InstMarkupTemplate("mistral", llama2: false, "<s>", "</s>", "");

    /// <summary>
    /// Zephyr's format (TinyLlama chat): <c>&lt;|role|&gt;\n{content}&lt;/s&gt;\n</c> per turn (roles system, user,
    /// assistant), generation prompt <c>&lt;|assistant|&gt;\n</c>, stop at <c>&lt;/s&gt;</c>.
    /// </summary>
    public static PromptTemplate Zephyr { get; } = ZephyrWith("</s>");

    /// <summary>
    /// Google's Gemma format: <c>&lt;bos&gt;</c>, then <c>&lt;start_of_turn&gt;role\n{content}&lt;end_of_turn&gt;\n</c> per
    /// turn with the assistant called <c>model</c> and contents trimmed, no system turn, turns alternating; generation
    /// prompt <c>&lt;start_of_turn&gt;model\n</c>, stop at <c>&lt;end_of_turn&gt;</c>.
    /// </summary>
    public static PromptTemplate Gemma { get; } = GemmaWith("<bos>");

    internal static PromptTemplate ZephyrWith(string end) => new ChatMarkupTemplate(
        "zephyr", "", role => $"<|{ChatMarkupTemplate.RoleName(role)}|>\n", end, "\n", trimContent: false, [end]);

    internal static PromptTemplate GemmaWith(string beginning) => new ChatMarkupTemplate(
        "gemma", beginning, role => $"<start_of_turn>{(role == ChatTurnRole.Assistant ? "model" : ChatMarkupTemplate.RoleName(role))}\n",
        "<end_of_turn>", "\n", trimContent: true, ["<end_of_turn>"], systemTurns: false);

    /// <summary>
    /// A user-defined template from a format string with the slots <c>{instruction}</c> (required: the instruction, or
    /// a user turn's content), <c>{response}</c> (required: the answer; text after it is its end marker and counts as
    /// response), <c>{input}</c> (optional: replaced by <paramref name="inputFormat"/> filled with the input when the
    /// input is non-empty, by nothing otherwise) and <c>{system}</c> (optional: a system turn's content, else
    /// <paramref name="defaultSystem"/>). Write <c>{{</c> and <c>}}</c> for literal braces. A conversation renders one
    /// example per user/assistant pair, the system slot filled in the first only.
    /// </summary>
    /// <param name="format">The format, for example <c>"Question: {instruction}\nAnswer: {response}\n"</c>.</param>
    /// <param name="inputFormat">How a non-empty input is written in the <c>{input}</c> slot; must hold <c>{input}</c> once. Default <c>"{input}"</c>.</param>
    /// <param name="defaultSystem">The <c>{system}</c> slot's text when there is no system turn. Default empty.</param>
    /// <param name="stopSequences">Where a generator cuts the answer. Default none.</param>
    /// <param name="name">The template's name. Default <c>custom</c>.</param>
    /// <exception cref="ArgumentException">No <c>{response}</c> or <c>{instruction}</c> slot, a slot twice, an unknown
    /// slot, a slot after <c>{response}</c>, an unbalanced brace, or an empty stop sequence.</exception>
    public static PromptTemplate FromFormat(string format, string inputFormat = "{input}", string defaultSystem = "",
        IReadOnlyList<string>? stopSequences = null, string name = "custom")
        => new FormatPromptTemplate(format, inputFormat, defaultSystem, stopSequences ?? [], name);
}
