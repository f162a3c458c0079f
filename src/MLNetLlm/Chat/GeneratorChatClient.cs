using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using MLNetLlm.Generation;

namespace MLNetLlm.Chat;

/// <summary>
/// A <c>Microsoft.Extensions.AI</c> <see cref="IChatClient"/> over any MLNetLlm <see cref="TextGenerator"/>
/// (TorchSharp's <c>GptGenerator</c>, ONNX Runtime's <c>OnnxGptGenerator</c>): messages are rendered through the
/// options' <see cref="GeneratorChatClientOptions.Template"/> with the generation prompt, <see cref="ChatOptions"/> are
/// mapped onto <see cref="GenerationOptions"/>, and the answer is cut at the first of the template's and the request's
/// stop sequences. Made by <c>generator.AsIChatClient(...)</c>.
/// </summary>
/// <remarks>
/// Options mapped: <see cref="ChatOptions.MaxOutputTokens"/> (new tokens), <see cref="ChatOptions.Temperature"/> (0 is
/// greedy decoding), <see cref="ChatOptions.TopP"/>, <see cref="ChatOptions.TopK"/>, <see cref="ChatOptions.Seed"/>,
/// <see cref="ChatOptions.StopSequences"/> and <see cref="ChatOptions.Instructions"/> (a system turn before the
/// messages' own). Penalties, response formats and the model id are ignored; tools are refused. Usage counts the
/// prompt's tokens and the tokens generated (a stop sequence's included). The finish reason is <c>length</c> when the
/// answer used all its new tokens, <c>stop</c> otherwise. Generation runs on the calling thread, yielding between tokens.
/// </remarks>
public sealed class GeneratorChatClient : IChatClient
{
    private readonly TextGenerator _generator;
    private readonly GeneratorChatClientOptions _options;
    private readonly ChatClientMetadata _metadata;

    /// <summary>A chat client over <paramref name="generator"/>.</summary>
    /// <exception cref="ArgumentNullException">An argument, the template or the generation options is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A generation option is out of range.</exception>
    public GeneratorChatClient(TextGenerator generator, GeneratorChatClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(generator);
        options ??= new GeneratorChatClientOptions();
        ArgumentNullException.ThrowIfNull(options.Template, nameof(options.Template));
        ArgumentNullException.ThrowIfNull(options.Generation, nameof(options.Generation));
        options.Generation.Validate();
        _generator = generator;
        _options = options;
        _metadata = new ChatClientMetadata("MLNetLlm", null, options.ModelId ?? $"{generator.GetType().Name}/{options.Template.Name}");
    }

    /// <summary>The generator that answers.</summary>
    public TextGenerator Generator => _generator;

    /// <summary>The template, defaults and model id.</summary>
    public GeneratorChatClientOptions Options => _options;

    /// <summary>The prompt the model reads for <paramref name="messages"/>: the rendered conversation and the generation prompt.</summary>
    /// <exception cref="ArgumentException">The conversation cannot be rendered by the template (the message says why).</exception>
    /// <exception cref="NotSupportedException">A tool message or non-text content.</exception>
    /// <remarks>A conversation longer than the model's context is refused when asked, with its token count.</remarks>
    public string RenderPrompt(IEnumerable<ChatMessage> messages, ChatOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return _options.Template.Render(ChatMessageTurns.From(messages, options?.Instructions), addGenerationPrompt: true).Text;
    }

    /// <inheritdoc/>
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in GetStreamingResponseAsync(messages, options, cancellationToken))
            updates.Add(update);
        return updates.ToChatResponse();
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (options?.Tools is { Count: > 0 })
            throw new NotSupportedException("MLNetLlm's chat client does not call tools; remove ChatOptions.Tools.");
        string prompt = RenderPrompt(messages, options);
        var generation = Map(options);
        var cutter = new StopSequenceCutter([.. _options.Template.StopSequences, .. options?.StopSequences ?? []]);
        string messageId = Guid.NewGuid().ToString("N");
        int promptTokens = _generator.PromptIds(prompt).Count, generated = 0;
        if (promptTokens > _generator.MaxPromptTokens)
            throw new ArgumentException($"The conversation renders to {promptTokens} tokens in the {_options.Template.Name} template; the model reads at most " +
                $"{_generator.MaxPromptTokens}. Shorten or drop messages (for retrieval-augmented generation: fewer or shorter passages).", nameof(messages));
        await foreach (var (piece, tokens) in _generator.StreamStepsAsync(prompt, generation, cancellationToken))
        {
            generated += tokens;
            string text = tokens > 0 ? cutter.Add(piece) : cutter.Add(piece) + cutter.Flush();
            if (text.Length > 0) yield return Update(messageId, [new TextContent(text)]);
            if (cutter.Stopped) break;
        }
        var usage = new UsageDetails { InputTokenCount = promptTokens, OutputTokenCount = generated, TotalTokenCount = promptTokens + generated };
        var last = Update(messageId, [new UsageContent(usage)]);
        last.FinishReason = !cutter.Stopped && generated >= generation.MaxNewTokens ? ChatFinishReason.Length : ChatFinishReason.Stop;
        yield return last;
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(ChatClientMetadata)) return _metadata;
        if (serviceType.IsInstanceOfType(_generator)) return _generator;
        return serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <summary>Nothing to release: the generator stays its owner's.</summary>
    public void Dispose()
    {
    }

    private GenerationOptions Map(ChatOptions? chat)
    {
        var options = _options.Generation;
        if (chat is null) return options;
        if (chat.MaxOutputTokens is int max) options = options with { MaxNewTokens = max };
        if (chat.Temperature is float temperature)
            options = temperature == 0 ? options with { Greedy = true } : options with { Greedy = false, Temperature = temperature };
        if (chat.TopP is float topP) options = options with { TopP = topP };
        if (chat.TopK is int topK) options = options with { TopK = topK };
        if (chat.Seed is long seed) options = options with { Seed = unchecked((ulong)seed) };
        options.Validate();
        return options;
    }

    private ChatResponseUpdate Update(string messageId, IList<AIContent> contents) => new(ChatRole.Assistant, contents)
    {
        MessageId = messageId,
        ResponseId = messageId,
        ModelId = _metadata.DefaultModelId,
        CreatedAt = DateTimeOffset.UtcNow,
    };
}
