using Microsoft.Extensions.AI;
using Microsoft.ML;
using MLNetLlm;
using MLNetLlm.Chat;
using MLNetLlm.Embeddings;
using MLNetLlm.Models;
using MLNetLlm.Prompting;
using MLNetLlm.Retrieval;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Pretraining;

namespace Snippets;

internal static class ChatSnippets
{
    /// <summary>Templates, the shipped GPT as a chat client, and RAG over a two-passage retriever, as the README shows.</summary>
    public static async Task TemplatesChatAndRag(MLContext ml)
    {
        var data = ml.Data.LoadFromEnumerable(new[] { new { Text = "The jury praised the election." } });
        IPassageRetriever retriever = new TwoPassages();   // MLNetLlm.Search's indexes, or your own store

        // README: Prompt templates, chat clients and retrieval-augmented generation
        // Templates render a conversation or an instruction example, and say which characters are the answer (masked loss).
        RenderedPrompt example = PromptTemplates.Alpaca.RenderInstruction("Give a synonym of 'big'.", input: null, response: "large");
        Console.WriteLine($"{example.Text[..example.PromptLength]}|{example.Text[example.PromptLength..]}");   // ...### Response:\n|large
        string chatMl = PromptTemplates.ChatMl.Render([ChatTurn.System("Be brief."), ChatTurn.User("Hi")], addGenerationPrompt: true).Text;
        var qa = PromptTemplates.FromFormat("Q: {instruction}\nA: {response}\n", stopSequences: ["\nQ:"]);

        // Any generator (GptGenerator, OnnxGptGenerator) is a Microsoft.Extensions.AI chat client through a template ...
        using var gpt = GptModels.LoadBrown();
        IChatClient chat = new GptGenerator(gpt.Model, gpt.Tokenizer!).AsIChatClient(PromptTemplates.Alpaca);
        ChatResponse reply = await chat.GetResponseAsync("Tell me about the jury.", new ChatOptions { Temperature = 0, MaxOutputTokens = 30 });

        // ... every embedder is an IEmbeddingGenerator, and any IEmbeddingGenerator feeds EmbedText.
        IEmbeddingGenerator<string, Embedding<float>> generator = SentenceEmbedders.MiniLmL6V2();
        var embedded = ml.Transforms.Llm.EmbedText("Embedding", "Text", SentenceEmbedders.FromEmbeddingGenerator(generator)).Fit(data);

        // Retrieval-augmented generation: numbered sources in the prompt, the answer's [n] citations mapped back.
        var rag = new RetrievalAugmentedGenerator(retriever, chat, new RagOptions { PassageCount = 2, ChatOptions = new() { Temperature = 0 } });
        RagAnswer answer = await rag.AnswerAsync("What did the jury say?");
        foreach (RagSource source in answer.Citations) Console.WriteLine($"[{source.Number}] {source.Passage.SourceId}");
        await foreach (RagUpdate update in rag.StreamAsync("What did the jury say?")) Console.Write(update.Text);
        // end
        _ = (chatMl, qa, reply, embedded);
    }

    private sealed class TwoPassages : IPassageRetriever
    {
        public Task<IReadOnlyList<RetrievedPassage>> RetrieveAsync(string query, int count, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<RetrievedPassage>>([
                new("a", "The grand jury said the election was conducted well.", 2, "brown/ca01", 0, 52),
                new("b", "The county court found the tax plan fair.", 1, "brown/ca02", 0, 41)]);
    }
}
