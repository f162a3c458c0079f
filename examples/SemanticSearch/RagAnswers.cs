using System.ClientModel;
using Microsoft.Extensions.AI;
using MLNetLlm.Chat;
using MLNetLlm.Prompting;
using MLNetLlm.Retrieval;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Pretraining;
using OpenAI;

/// <summary>
/// A grounded answer over the Brown passages: with the shipped brown-gpt through <c>AsIChatClient</c>, always, and
/// with an OpenAI-compatible endpoint only when OPENAI_BASE_URL or OPENAI_API_KEY is set (OPENAI_MODEL names the model,
/// default gpt-4o-mini). Nothing is sent anywhere otherwise.
/// </summary>
internal static class RagAnswers
{
    public static async Task RunAsync(IPassageRetriever retriever, string question)
    {
        // brown-gpt is a 4M-parameter base model with a 128-token context, not tuned to follow instructions: one short
        // source, no system message, and a bare question/answer format keep the prompt inside its window. Its "answer"
        // is a continuation in the style of the corpus; the point here is the pipeline, the citations are ours.
        using var gpt = GptModels.LoadBrown();
        var template = PromptTemplates.FromFormat("{instruction}\nAnswer:{response}\n", stopSequences: ["\n"]);
        IChatClient local = new GptGenerator(gpt.Model, gpt.Tokenizer!).AsIChatClient(template);
        var small = new RagOptions
        {
            PassageCount = 1, Instructions = null, MaxPassageCharacters = 200,
            ChatOptions = new ChatOptions { Temperature = 0.8f, TopK = 40, Seed = 1, MaxOutputTokens = 30 },
        };
        await AnswerAsync("shipped brown-gpt (AsIChatClient)", new RetrievalAugmentedGenerator(retriever, local, small), question);

        var baseUrl = Environment.GetEnvironmentVariable("OPENAI_BASE_URL");
        var apiKey = Environment.GetEnvironmentVariable("OPENAI_API_KEY");
        if (string.IsNullOrEmpty(baseUrl) && string.IsNullOrEmpty(apiKey))
        {
            Console.WriteLine("No OpenAI-compatible endpoint: set OPENAI_BASE_URL (and OPENAI_API_KEY, OPENAI_MODEL) to also answer with one.");
            return;
        }
        var model = Environment.GetEnvironmentVariable("OPENAI_MODEL") is { Length: > 0 } m ? m : "gpt-4o-mini";
        var clientOptions = new OpenAIClientOptions();
        if (!string.IsNullOrEmpty(baseUrl))
            clientOptions.Endpoint = new Uri(baseUrl);
        // A local server (llama.cpp, Ollama, vLLM) may need no key; the client still wants one.
        using IChatClient remote = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "unused" : apiKey), clientOptions)
            .GetChatClient(model).AsIChatClient();
        var options = new RagOptions { ChatOptions = new ChatOptions { Temperature = 0, MaxOutputTokens = 200 }, Timeout = TimeSpan.FromMinutes(1) };
        try
        {
            await AnswerAsync($"{model} at {baseUrl ?? "api.openai.com"}", new RetrievalAugmentedGenerator(retriever, remote, options), question);
        }
        catch (ChatEndpointException error)
        {
            Console.WriteLine($"The endpoint failed, not retried: {error.Message}");
        }
    }

    private static async Task AnswerAsync(string name, RetrievalAugmentedGenerator rag, string question)
    {
        Console.WriteLine();
        Console.WriteLine($"RAG with {name}: {question}");
        Console.Write("  answer: ");
        RagAnswer? answer = null;
        await foreach (var update in rag.StreamAsync(question))
        {
            Console.Write(update.Text);
            answer ??= update.Answer;
        }
        Console.WriteLine();
        foreach (var source in answer!.Sources)
            Console.WriteLine($"  [{source.Number}]{(answer.Citations.Contains(source) ? " (cited)" : "")} {source.Passage.SourceId} " +
                $"[{source.Passage.Start}..{source.Passage.Start + source.Passage.Length}) {ResultTable.Shorten(source.Passage.Text, 100)}");
    }
}
