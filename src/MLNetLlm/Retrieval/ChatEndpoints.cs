using Microsoft.Extensions.AI;

namespace MLNetLlm.Retrieval;

/// <summary>Names a chat client for error messages: its type, and the provider, address and model it reports.</summary>
internal static class ChatEndpoints
{
    public static string Describe(IChatClient client)
    {
        ChatClientMetadata? metadata;
        try
        {
            metadata = client.GetService(typeof(ChatClientMetadata)) as ChatClientMetadata;
        }
        catch (Exception)
        {
            metadata = null; // naming the client must not hide the error being reported
        }
        var details = new List<string>();
        if (metadata?.ProviderName is { Length: > 0 } provider) details.Add($"provider {provider}");
        if (metadata?.ProviderUri is { } uri) details.Add($"at {uri}");
        if (metadata?.DefaultModelId is { Length: > 0 } model) details.Add($"model {model}");
        return details.Count == 0 ? client.GetType().Name : $"{client.GetType().Name} ({string.Join(", ", details)})";
    }
}
