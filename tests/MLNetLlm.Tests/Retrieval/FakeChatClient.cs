using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MLNetLlm.Tests.Retrieval;

/// <summary>
/// A chat client that answers with a fixed text (streamed word by word), or fails, or never answers; it records what
/// it was asked and how often, and reports itself as an endpoint at chat.example.
/// </summary>
public sealed class FakeChatClient(string answer, FakeChatClient.Behaviour behaviour = FakeChatClient.Behaviour.Answer) : IChatClient
{
    public enum Behaviour { Answer, Fail, FailMidStream, Hang }

    public int Calls { get; private set; }
    public List<ChatMessage> LastMessages { get; } = [];

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Start(messages);
        if (behaviour == Behaviour.Hang) await Task.Delay(Timeout.Infinite, cancellationToken);
        if (behaviour != Behaviour.Answer) throw new HttpRequestException("502 Bad Gateway");
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, answer)) { Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3 } };
    }

    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Start(messages);
        if (behaviour == Behaviour.Hang) await Task.Delay(Timeout.Infinite, cancellationToken);
        if (behaviour == Behaviour.Fail) throw new HttpRequestException("502 Bad Gateway");
        var words = answer.Split(' ');
        for (int i = 0; i < words.Length; i++)
        {
            if (behaviour == Behaviour.FailMidStream && i == 1) throw new HttpRequestException("connection reset");
            yield return new ChatResponseUpdate(ChatRole.Assistant, i == 0 ? words[i] : " " + words[i]);
        }
        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 10, OutputTokenCount = 3 })]);
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("fake", new Uri("http://chat.example/v1"), "fake-1") : null;

    public void Dispose()
    {
    }

    private void Start(IEnumerable<ChatMessage> messages)
    {
        Calls++;
        LastMessages.Clear();
        LastMessages.AddRange(messages);
    }
}
