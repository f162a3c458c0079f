namespace MLNetLlm.Retrieval;

/// <summary>
/// A chat client failed or timed out while answering (retrieval-augmented generation makes one attempt, never retries):
/// <see cref="Endpoint"/> says which client or endpoint, <see cref="Exception.InnerException"/> holds its error.
/// </summary>
public sealed class ChatEndpointException : Exception
{
    /// <summary>A failure of <paramref name="endpoint"/>.</summary>
    public ChatEndpointException(string endpoint, string message, Exception? innerException = null)
        : base(message, innerException) => Endpoint = endpoint;

    /// <summary>The failing client: its provider, address and model when it reports them, else its type.</summary>
    public string Endpoint { get; }
}
