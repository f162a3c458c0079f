using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MLNetLlm.Retrieval;

/// <summary>
/// Retrieval-augmented generation: retrieves passages for a question from any <see cref="IPassageRetriever"/>, puts
/// them in a grounded prompt as numbered sources (<c>[1] ...</c>), asks any <see cref="IChatClient"/> (an MLNetLlm
/// generator through <c>AsIChatClient</c>, or a hosted model's client) and returns the answer with the sources it cites.
/// </summary>
/// <remarks>
/// Each answer is one request: a client that fails or outlasts <see cref="RagOptions.Timeout"/> ends it with a
/// <see cref="ChatEndpointException"/> naming the client, and nothing is retried. The caller's cancellation surfaces
/// as <see cref="OperationCanceledException"/>.
/// </remarks>
public sealed class RetrievalAugmentedGenerator
{
    private readonly IPassageRetriever _retriever;
    private readonly IChatClient _chatClient;
    private readonly RagOptions _options;

    /// <summary>Answers from <paramref name="retriever"/>'s passages with <paramref name="chatClient"/>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="retriever"/> or <paramref name="chatClient"/> is null.</exception>
    /// <exception cref="ArgumentException">An option is invalid (see <see cref="RagOptions.Validate"/>).</exception>
    public RetrievalAugmentedGenerator(IPassageRetriever retriever, IChatClient chatClient, RagOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(retriever);
        ArgumentNullException.ThrowIfNull(chatClient);
        options ??= new RagOptions();
        options.Validate();
        _retriever = retriever;
        _chatClient = chatClient;
        _options = options;
    }

    /// <summary>The retrieval count, prompt and chat settings.</summary>
    public RagOptions Options => _options;

    /// <summary>The passages for <paramref name="question"/>, numbered as the prompt numbers them.</summary>
    /// <exception cref="ArgumentException">The question is null, empty or blank.</exception>
    /// <exception cref="InvalidOperationException">The retriever returned null.</exception>
    public async Task<IReadOnlyList<RagSource>> RetrieveAsync(string question, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        var passages = await _retriever.RetrieveAsync(question, _options.PassageCount, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The retriever {_retriever.GetType().Name} returned null for \"{question}\".");
        return [.. passages.Where(passage => passage is not null).Take(_options.PassageCount).Select((passage, i) => new RagSource(i + 1, passage))];
    }

    /// <summary>The messages sent for <paramref name="question"/>: the instructions (if any) and the grounded question.</summary>
    public IReadOnlyList<ChatMessage> BuildMessages(string question, IReadOnlyList<RagSource> sources)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(question);
        ArgumentNullException.ThrowIfNull(sources);
        string sourceLines = sources.Count == 0
            ? "(no sources found)"
            : string.Join("\n", sources.Select(source => $"[{source.Number}] {SourceText(source.Passage.Text)}"));
        string prompt = _options.PromptFormat.Replace("{sources}", sourceLines, StringComparison.Ordinal)
            .Replace("{question}", question.Trim(), StringComparison.Ordinal);
        var messages = new List<ChatMessage>();
        if (!string.IsNullOrEmpty(_options.Instructions)) messages.Add(new ChatMessage(ChatRole.System, _options.Instructions));
        messages.Add(new ChatMessage(ChatRole.User, prompt));
        return messages;
    }

    /// <summary>Retrieves, asks the chat client and returns the answer with its citations.</summary>
    /// <exception cref="ArgumentException">The question is null, empty or blank.</exception>
    /// <exception cref="ChatEndpointException">The chat client failed or timed out.</exception>
    public async Task<RagAnswer> AnswerAsync(string question, CancellationToken cancellationToken = default)
    {
        var sources = await RetrieveAsync(question, cancellationToken).ConfigureAwait(false);
        var messages = BuildMessages(question, sources);
        using var timeout = Deadline(cancellationToken);
        ChatResponse response;
        try
        {
            response = await _chatClient.GetResponseAsync(messages, _options.ChatOptions, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception error) when (!cancellationToken.IsCancellationRequested)
        {
            throw Failure(error, timeout);
        }
        return Answer(question, response.Text, sources, response.Usage);
    }

    /// <summary>
    /// Retrieves, then streams the answer as the chat client writes it; the last update holds the whole
    /// <see cref="RagAnswer"/> with its citations.
    /// </summary>
    /// <exception cref="ArgumentException">The question is null, empty or blank.</exception>
    /// <exception cref="ChatEndpointException">The chat client failed or timed out.</exception>
    public async IAsyncEnumerable<RagUpdate> StreamAsync(string question, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var sources = await RetrieveAsync(question, cancellationToken).ConfigureAwait(false);
        var messages = BuildMessages(question, sources);
        using var timeout = Deadline(cancellationToken);
        var text = new System.Text.StringBuilder();
        UsageDetails? usage = null;
        IAsyncEnumerator<ChatResponseUpdate>? updates = null;
        try
        {
            while (true)
            {
                ChatResponseUpdate update;
                try
                {
                    updates ??= _chatClient.GetStreamingResponseAsync(messages, _options.ChatOptions, timeout.Token).GetAsyncEnumerator(timeout.Token);
                    if (!await updates.MoveNextAsync().ConfigureAwait(false)) break;
                    update = updates.Current;
                }
                catch (Exception error) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Failure(error, timeout);
                }
                foreach (var content in update.Contents.OfType<UsageContent>()) usage = content.Details;
                string piece = update.Text;
                if (piece.Length == 0) continue;
                text.Append(piece);
                yield return new RagUpdate(piece);
            }
        }
        finally
        {
            if (updates is not null) await updates.DisposeAsync().ConfigureAwait(false);
        }
        yield return new RagUpdate("", Answer(question, text.ToString(), sources, usage));
    }

    private string SourceText(string text)
    {
        string line = text.ReplaceLineEndings(" ").Trim();
        return _options.MaxPassageCharacters is int max && line.Length > max ? line[..max] : line;
    }

    private static RagAnswer Answer(string question, string text, IReadOnlyList<RagSource> sources, UsageDetails? usage)
    {
        var cited = Citations.Parse(text);
        return new RagAnswer
        {
            Question = question,
            Text = text,
            Sources = sources,
            Citations = [.. cited.Where(n => n >= 1 && n <= sources.Count).Select(n => sources[n - 1])],
            UnknownCitations = [.. cited.Where(n => n < 1 || n > sources.Count)],
            Usage = usage,
        };
    }

    private CancellationTokenSource Deadline(CancellationToken cancellationToken)
    {
        var source = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (_options.Timeout is TimeSpan timeout) source.CancelAfter(timeout);
        return source;
    }

    private ChatEndpointException Failure(Exception error, CancellationTokenSource timeout)
    {
        string endpoint = ChatEndpoints.Describe(_chatClient);
        return error is OperationCanceledException && timeout.IsCancellationRequested
            ? new ChatEndpointException(endpoint, $"The chat client {endpoint} did not answer within {_options.Timeout}; the request was abandoned, not retried.", error)
            : new ChatEndpointException(endpoint, $"The chat client {endpoint} failed: {error.Message} (not retried).", error);
    }
}
