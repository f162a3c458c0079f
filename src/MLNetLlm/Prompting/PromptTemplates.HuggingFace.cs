using System.Text.RegularExpressions;

namespace MLNetLlm.Prompting;

public static partial class PromptTemplates
{
    /// <summary>The chat template families <see cref="FromHuggingFace"/> recognises, by the markers it looks for.</summary>
    public const string HuggingFaceFamilies =
        "ChatML (<|im_start|>: Qwen, SmolLM), Llama 3 and 3.1+ (<|start_header_id|>), Llama 2 ([INST] with <<SYS>>), " +
        "Mistral v0.1/Mixtral ([INST] refusing system turns), Zephyr/TinyLlama (<|user|> ended by eos_token), Phi-3 (<|user|> ... <|end|>), " +
        "Gemma (<start_of_turn>)";

    /// <summary>
    /// The built-in format a Hugging Face <c>chat_template</c> (a Jinja template) writes, recognised by its markers:
    /// see <see cref="HuggingFaceFamilies"/>. The result renders what <c>apply_chat_template</c> renders for conversations
    /// of system, user and assistant turns, including the family's defaults: the system greeting Qwen and SmolLM write
    /// when there is none, and Llama 3.1's system block of knowledge and today dates (the date the template falls back
    /// to, <c>26 Jul 2024</c> for Meta's, where transformers would write today's). Tools and tool calls are not rendered.
    /// </summary>
    /// <param name="chatTemplate">The Jinja text.</param>
    /// <param name="beginningToken">The folder's <c>bos_token</c>; null for the family's usual one.</param>
    /// <param name="endToken">The folder's <c>eos_token</c>; null for the family's usual one.</param>
    /// <exception cref="NotSupportedException">The template is of no recognised family, or of a variant that renders
    /// differently (the message names what it found and how to pass a template explicitly).</exception>
    public static PromptTemplate FromHuggingFace(string chatTemplate, string? beginningToken = null, string? endToken = null)
    {
        ArgumentNullException.ThrowIfNull(chatTemplate);
        string t = chatTemplate;
        if (t.Contains("<|im_start|>", StringComparison.Ordinal))
        {
            var stops = endToken is null or "<|im_end|>" ? new[] { "<|im_end|>" } : ["<|im_end|>", endToken];
            var greeting = DefaultChatMlSystem().Match(t);
            return new ChatMarkupTemplate("chatml", "", role => $"<|im_start|>{ChatMarkupTemplate.RoleName(role)}\n", "<|im_end|>", "\n",
                trimContent: false, stops, defaultSystem: greeting.Success ? JinjaUnescape(greeting.Groups["text"].Value) : null);
        }
        if (t.Contains("<|start_header_id|>", StringComparison.Ordinal))
        {
            string start = beginningToken ?? "<|begin_of_text|>";
            string[] stops = endToken is null or "<|eot_id|>" or "<|end_of_text|>" ? ["<|eot_id|>", "<|end_of_text|>"] : ["<|eot_id|>", "<|end_of_text|>", endToken];
            Func<ChatTurnRole, string> header = role => $"<|start_header_id|>{ChatMarkupTemplate.RoleName(role)}<|end_header_id|>\n\n";
            if (!t.Contains("Cutting Knowledge Date", StringComparison.Ordinal))
                return new ChatMarkupTemplate("llama3", start, header, "<|eot_id|>", "", trimContent: true, stops);
            var date = DefaultDate().Match(t);
            if (!date.Success)
                throw Unrecognised("a Llama 3.1-style template (Cutting Knowledge Date) without a default date_string");
            return new ChatMarkupTemplate("llama3.1", start, header, "<|eot_id|>", "", trimContent: true, stops, defaultSystem: "",
                systemPrefix: $"Cutting Knowledge Date: December 2023\nToday Date: {date.Groups["date"].Value}\n\n");
        }
        if (t.Contains("[INST]", StringComparison.Ordinal))
        {
            string start = beginningToken ?? "<s>", end = endToken ?? "</s>";
            if (t.Contains("<<SYS>>", StringComparison.Ordinal) && t.Contains("bos_token + '[INST] ' + content.strip() + ' [/INST]'", StringComparison.Ordinal))
                return new InstMarkupTemplate("llama2", llama2: true, start, end, "");
            if (t.Contains("' [/INST]'", StringComparison.Ordinal) && t.Contains("Only user and assistant roles are supported", StringComparison.Ordinal)
                && t.Contains("message['content'] + eos_token", StringComparison.Ordinal))
                return new InstMarkupTemplate("mistral", llama2: false, start, end, t.Contains("eos_token + ' '", StringComparison.Ordinal) ? " " : "");
            throw Unrecognised("an [INST] template of a form other than Llama 2's or Mistral v0.1's (a system turn or spaces handled otherwise, as in Mistral v0.3)");
        }
        if (t.Contains("<start_of_turn>", StringComparison.Ordinal))
            return GemmaWith(beginningToken ?? "<bos>");
        if (t.Contains("<|user|>", StringComparison.Ordinal) && t.Contains("<|end|>", StringComparison.Ordinal))
            return Phi3;
        if (t.Contains("<|user|>", StringComparison.Ordinal) && t.Contains("+ eos_token", StringComparison.Ordinal))
            return ZephyrWith(endToken ?? "</s>");
        var markers = Markers().Matches(t).Select(m => m.Value).Distinct().Take(6).ToList();
        throw Unrecognised(markers.Count == 0 ? "no chat markers" : "the markers " + string.Join(", ", markers));
    }

    /// <summary>
    /// The chat template of a Hugging Face model folder (<c>chat_template</c> in <c>tokenizer_config.json</c>, or the
    /// <c>chat_template.jinja</c> file), with the folder's <c>bos_token</c> and <c>eos_token</c>; null when the folder
    /// has none (a base model).
    /// </summary>
    /// <param name="folder">The model folder.</param>
    /// <exception cref="InvalidDataException">The config is unreadable.</exception>
    /// <exception cref="NotSupportedException">The template is of no recognised family (see <see cref="FromHuggingFace"/>).</exception>
    public static PromptTemplate? FromHuggingFaceFolder(string folder)
    {
        return HuggingFaceChatTemplate.Read(folder)?.ToPromptTemplate();
    }

    private static NotSupportedException Unrecognised(string what) => new(
        $"The chat template is not one MLNetLlm recognises: it has {what}. Recognised: {HuggingFaceFamilies}. " +
        "Pass the format explicitly instead, a built-in (PromptTemplates.ChatMl, Llama3, Llama2, Mistral, Zephyr, Phi3, Gemma) " +
        "or PromptTemplates.FromFormat(\"...{instruction}...{response}...\"), for example to AsIChatClient(template).");

    // Jinja string escapes in a literal: \n, \t, \' and \" (the templates use no others in their greetings).
    private static string JinjaUnescape(string text) =>
        text.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\t", "\t", StringComparison.Ordinal)
            .Replace("\\'", "'", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal);

    // A literal system turn with a fixed greeting: '<|im_start|>system\nYou are ...<|im_end|>' (Qwen 2.5, SmolLM2).
    [GeneratedRegex(@"<\|im_start\|>system(?:\\n|\n)(?<text>[^'""{}+<]+)<\|im_end\|>")]
    private static partial Regex DefaultChatMlSystem();

    [GeneratedRegex(@"set date_string = [""'](?<date>[^""']+)[""']")]
    private static partial Regex DefaultDate();

    [GeneratedRegex(@"<\|?[A-Za-z_]+\|?>|\[/?[A-Z]+\]")]
    private static partial Regex Markers();
}
