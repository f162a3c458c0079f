using Microsoft.Extensions.AI;
using MLNetLlm.Chat;
using MLNetLlm.Embeddings;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Prompting;
using MLNetLlm.Retrieval;
using MLNetLlm.Tests.Retrieval;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Persistence;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Chat;

/// <summary>Real GPTs (the shipped Brown model, a tiny one exported to ONNX) behind IChatClient, in RAG, and as embedding generators.</summary>
public class GptChatClientTests
{
    private static readonly ChatOptions Greedy = new() { Temperature = 0, MaxOutputTokens = 20 };

    [Fact]
    public async Task The_shipped_gpt_answers_as_a_chat_client_exactly_as_it_generates()
    {
        using var brown = GptModels.LoadBrown();
        var generator = new GptGenerator(brown.Model, brown.Tokenizer!);
        var client = generator.AsIChatClient(PromptTemplates.Alpaca);
        ChatMessage[] messages = [new(ChatRole.User, "Tell me about the jury.")];

        var response = await client.GetResponseAsync(messages, Greedy);
        string prompt = PromptTemplates.Alpaca.GenerationPrompt("Tell me about the jury.");
        string direct = generator.Generate(prompt, new GenerationOptions { Greedy = true, MaxNewTokens = 20 });
        int cut = PromptTemplates.Alpaca.StopSequences.Select(stop => direct.IndexOf(stop, StringComparison.Ordinal)).Where(at => at >= 0).DefaultIfEmpty(direct.Length).Min();
        Assert.Equal(direct[..cut], response.Text);
        Assert.Equal(brown.Tokenizer!.EncodeToIds(prompt).Count, response.Usage!.InputTokenCount);
        Assert.InRange(response.Usage.OutputTokenCount!.Value, 1, 20);

        var streamed = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(messages, Greedy)) streamed.Add(update);
        Assert.Equal(response.Text, streamed.ToChatResponse().Text);
    }

    [Fact]
    public async Task Rag_with_the_shipped_gpt_grounds_its_prompt_in_the_retrieved_passages()
    {
        using var brown = GptModels.LoadBrown();
        var client = new GptGenerator(brown.Model, brown.Tokenizer!).AsIChatClient(PromptTemplates.Alpaca);
        var retriever = new WordOverlapRetriever(
            "The grand jury said the city election was conducted well.",
            "The county court found the tax plan fair.",
            "Bread is baked in ovens.");
        var rag = new RetrievalAugmentedGenerator(retriever, client, new RagOptions
        {
            PassageCount = 2,
            Instructions = "Answer from the sources; cite them as [1].",
            ChatOptions = Greedy,
        });

        var answer = await rag.AnswerAsync("What did the jury say about the election?");
        Assert.Equal(["The grand jury said the city election was conducted well.", "The county court found the tax plan fair."],
            answer.Sources.Select(source => source.Passage.Text));
        var messages = rag.BuildMessages("What did the jury say about the election?", answer.Sources);
        Assert.Equal((await client.GetResponseAsync(messages, Greedy)).Text, answer.Text);
        Assert.All(answer.Citations, source => Assert.Contains(source, answer.Sources));

        var streamed = new List<RagUpdate>();
        await foreach (var update in rag.StreamAsync("What did the jury say about the election?")) streamed.Add(update);
        Assert.Equal(answer.Text, string.Concat(streamed.Select(update => update.Text)));
        Assert.Equal(answer.Citations, streamed[^1].Answer!.Citations);
    }

    [Fact]
    public async Task An_onnx_generator_chats_exactly_as_the_torch_generator_it_was_exported_from()
    {
        using var folder = new TemporaryFolder();
        using var model = new GptModel(TinyGpt.Config, seed: 5);
        string path = folder.File("tiny-past.onnx");
        OnnxExporter.Export(model, TinyGpt.Tokenizer, path, new OnnxExportOptions { Kind = LlmOnnxKind.GptWithPast });
        using var onnx = new OnnxGptGenerator(path);
        var template = PromptTemplates.FromFormat("{instruction} said {response}");
        ChatMessage[] messages = [new(ChatRole.User, "the jury")];
        var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 6 };

        var fromTorch = await new GptGenerator(model, TinyGpt.Tokenizer).AsIChatClient(template).GetResponseAsync(messages, options);
        var fromOnnx = await onnx.AsIChatClient(template).GetResponseAsync(messages, options);
        Assert.Equal(fromTorch.Text, fromOnnx.Text);
        Assert.Equal(fromTorch.Usage!.OutputTokenCount, fromOnnx.Usage!.OutputTokenCount);
        Assert.Equal("OnnxGptGenerator/custom", fromOnnx.ModelId);
    }

    [Fact]
    public async Task Torch_embedders_are_embedding_generators_with_their_metadata()
    {
        using var brown = GptModels.LoadBrown();
        using var gpt = new GptTextEmbedder(brown.Model, brown.Tokenizer!);
        using var miniLm = PretrainedEncoders.MiniLmL6V2();
        foreach (TextEmbedder embedder in new TextEmbedder[] { gpt, miniLm })
        {
            IEmbeddingGenerator<string, Embedding<float>> generator = embedder;
            var metadata = generator.GetService<EmbeddingGeneratorMetadata>()!;
            Assert.Equal(embedder.Dimension, metadata.DefaultModelDimensions);
            Assert.Equal(embedder.Name, metadata.DefaultModelId);
            var embeddings = await generator.GenerateAsync(["The jury said", "Bread is baked."]);
            Assert.Equal(embedder.Embed(["The jury said", "Bread is baked."]), embeddings.Select(e => e.Vector.ToArray()));
        }
        Assert.Equal(384, miniLm.Dimension);
    }
}
