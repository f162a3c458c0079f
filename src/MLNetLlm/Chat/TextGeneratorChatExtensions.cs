using Microsoft.Extensions.AI;
using MLNetLlm.Generation;
using MLNetLlm.Prompting;

namespace MLNetLlm.Chat;

/// <summary>Every MLNetLlm generator as a <c>Microsoft.Extensions.AI</c> chat client.</summary>
public static class TextGeneratorChatExtensions
{
    extension(TextGenerator generator)
    {
        /// <summary>
        /// This generator as an <see cref="IChatClient"/> that renders messages through <paramref name="template"/>
        /// (default <see cref="PromptTemplates.Alpaca"/>) and generates with <paramref name="options"/>' defaults.
        /// The generator stays the caller's: disposing the client leaves it open.
        /// </summary>
        /// <param name="template">The chat format the model was tuned on; replaces <paramref name="options"/>' template when given.</param>
        /// <param name="options">Template, default generation settings and model id.</param>
        public GeneratorChatClient AsIChatClient(PromptTemplate? template = null, GeneratorChatClientOptions? options = null)
        {
            options ??= new GeneratorChatClientOptions();
            return new GeneratorChatClient(generator, template is null ? options : options with { Template = template });
        }
    }
}
