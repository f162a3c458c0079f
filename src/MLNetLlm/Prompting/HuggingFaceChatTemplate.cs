using MLNetLlm.Tokenization;

namespace MLNetLlm.Prompting;

/// <summary>
/// The chat template of a Hugging Face model folder as written there: the Jinja text (<c>chat_template</c> of
/// <c>tokenizer_config.json</c>, or <c>chat_template.jinja</c>) and the folder's beginning and end tokens. Kept as read so
/// a saved model keeps it; <see cref="ToPromptTemplate"/> gives the built-in format it writes.
/// </summary>
/// <param name="Jinja">The template's Jinja text.</param>
/// <param name="BeginningToken">The folder's <c>bos_token</c>, if any.</param>
/// <param name="EndToken">The folder's <c>eos_token</c>, if any.</param>
public sealed record HuggingFaceChatTemplate(string Jinja, string? BeginningToken, string? EndToken)
{
    /// <summary>The folder's chat template, or null when it has none (a base model).</summary>
    /// <param name="folder">The model folder.</param>
    /// <exception cref="InvalidDataException">The folder's <c>tokenizer_config.json</c> is unreadable.</exception>
    public static HuggingFaceChatTemplate? Read(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        var config = HuggingFaceTokenizerConfig.Read(Path.GetFullPath(folder));
        return config.ChatTemplate is null ? null : new HuggingFaceChatTemplate(config.ChatTemplate, config.BeginningToken, config.EndToken);
    }

    /// <summary>The built-in format this template writes (<see cref="PromptTemplates.FromHuggingFace"/>).</summary>
    /// <exception cref="NotSupportedException">The template is of no recognised family (the message names what it found).</exception>
    public PromptTemplate ToPromptTemplate() => PromptTemplates.FromHuggingFace(Jinja, BeginningToken, EndToken);
}
