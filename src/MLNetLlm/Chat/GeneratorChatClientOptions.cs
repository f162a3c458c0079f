using MLNetLlm.Generation;
using MLNetLlm.Prompting;

namespace MLNetLlm.Chat;

/// <summary>How a <see cref="GeneratorChatClient"/> turns chat messages into a prompt and generates its answer.</summary>
public sealed record GeneratorChatClientOptions
{
    /// <summary>The chat format the model was tuned on. Default <see cref="PromptTemplates.Alpaca"/> (what the book's and
    /// MLNetLlm's instruction tuning use).</summary>
    public PromptTemplate Template { get; init; } = PromptTemplates.Alpaca;

    /// <summary>
    /// The generation settings a request's <c>ChatOptions</c> start from: each option the request sets (MaxOutputTokens,
    /// Temperature, TopP, TopK, Seed) replaces the one here. Default: <see cref="GenerationOptions"/>'s defaults with
    /// 256 new tokens at most.
    /// </summary>
    public GenerationOptions Generation { get; init; } = new() { MaxNewTokens = 256 };

    /// <summary>The model id the client reports in its metadata and responses. Null (the default): the generator's type
    /// and the template's name, such as <c>GptGenerator/alpaca</c>.</summary>
    public string? ModelId { get; init; }
}
