using System.ClientModel;
using Microsoft.Extensions.AI;
using OpenAI;

/// <summary>The model-as-judge's chat client: an OpenAI-compatible endpoint when OPENAI_BASE_URL or OPENAI_API_KEY is
/// set (OPENAI_MODEL names the model, gpt-4o-mini by default), else none.</summary>
internal static class JudgeClient
{
    public static (IChatClient? Client, string Name) FromEnvironment()
    {
        var baseUrl = Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
        var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (string.IsNullOrEmpty(baseUrl) && string.IsNullOrEmpty(apiKey)) return (null, "none");
        var model = Environment.GetEnvironmentVariable("OPENAI_MODEL") is { Length: > 0 } m ? m : "gpt-4o-mini";
        var options = new OpenAIClientOptions();
        if (!string.IsNullOrEmpty(baseUrl)) options.Endpoint = new Uri(baseUrl);
        // A local server (llama.cpp, Ollama, vLLM) may need no key; the client still wants one.
        var client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), options).GetChatClient(model).AsIChatClient();
        return (client, $"{model} at {baseUrl ?? "api.openai.com"}");
    }
}
