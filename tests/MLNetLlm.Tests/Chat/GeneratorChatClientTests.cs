using Microsoft.Extensions.AI;
using MLNetLlm.Chat;
using MLNetLlm.Prompting;

namespace MLNetLlm.Tests.Chat;

public class GeneratorChatClientTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.System, "Be brief."), new(ChatRole.User, "Capital of France?")];

    [Fact]
    public async Task Messages_are_rendered_through_the_template_with_the_generation_prompt()
    {
        var generator = new ScriptedGenerator("Paris.");
        var client = generator.AsIChatClient(PromptTemplates.ChatMl);
        var response = await client.GetResponseAsync(Question);
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nCapital of France?<|im_end|>\n<|im_start|>assistant\n", generator.Prompts.Single());
        Assert.Equal("Paris.", response.Text);
        Assert.Equal(ChatRole.Assistant, response.Messages.Single().Role);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        Assert.Equal("ScriptedGenerator/chatml", response.ModelId);
    }

    [Fact]
    public async Task Instructions_join_the_system_turn_and_alpaca_is_the_default_template()
    {
        var generator = new ScriptedGenerator("Paris.");
        await generator.AsIChatClient().GetResponseAsync(Question, new ChatOptions { Instructions = "Answer in one word." });
        Assert.Equal("Answer in one word.\n\nBe brief.\n\n### Instruction:\nCapital of France?\n\n### Response:\n", generator.Prompts.Single());
    }

    [Fact]
    public async Task Chat_options_map_onto_generation_options()
    {
        var generator = new ScriptedGenerator("Paris.");
        var client = generator.AsIChatClient(PromptTemplates.Phi3);
        await client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 7, Temperature = 0.5f, TopP = 0.9f, TopK = 5, Seed = 42 });
        var options = generator.LastOptions!;
        Assert.Equal(7, options.MaxNewTokens);
        Assert.False(options.Greedy);
        Assert.Equal(0.5, options.Temperature);
        Assert.Equal((double)0.9f, options.TopP);
        Assert.Equal(5, options.TopK);
        Assert.Equal(42UL, options.Seed);

        await client.GetResponseAsync(Question, new ChatOptions { Temperature = 0 });
        Assert.True(generator.LastOptions!.Greedy);
        await client.GetResponseAsync(Question);
        Assert.Equal(256, generator.LastOptions!.MaxNewTokens);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetResponseAsync(Question, new ChatOptions { TopK = 0 }));
    }

    [Fact]
    public async Task The_templates_stop_sequence_cuts_the_answer_and_ends_generation()
    {
        var generator = new ScriptedGenerator("Paris is the capital.<|im_end|>\n<|im_start|>user\nAnd Spain? It is a long way off.");
        var response = await generator.AsIChatClient(PromptTemplates.ChatMl).GetResponseAsync(Question);
        Assert.Equal("Paris is the capital.", response.Text);
        Assert.Equal(ChatFinishReason.Stop, response.FinishReason);
        int all = generator.Tokenizer.EncodeToIds("Paris is the capital.<|im_end|>\n<|im_start|>user\nAnd Spain? It is a long way off.").Count;
        Assert.True(generator.TokensProduced < all, "generation goes on after the stop sequence");
        Assert.Equal(generator.TokensProduced, (int)response.Usage!.OutputTokenCount!);
    }

    [Fact]
    public async Task Request_stop_sequences_cut_too_and_streaming_adds_up_to_the_same_text()
    {
        var options = new ChatOptions { StopSequences = [" capital"] };
        var client = new ScriptedGenerator("Paris is the capital of France.").AsIChatClient(PromptTemplates.Llama3);
        var response = await client.GetResponseAsync(Question, options);
        Assert.Equal("Paris is the", response.Text);

        var updates = new List<ChatResponseUpdate>();
        await foreach (var update in client.GetStreamingResponseAsync(Question, options)) updates.Add(update);
        Assert.True(updates.Count > 2);
        Assert.Equal("Paris is the", string.Concat(updates.Select(update => update.Text)));
        Assert.All(updates, update => Assert.DoesNotContain("capital", update.Text));
        Assert.Equal(ChatFinishReason.Stop, updates[^1].FinishReason);
        Assert.Equal("Paris is the", updates.ToChatResponse().Text);
    }

    [Fact]
    public async Task Usage_counts_prompt_and_generated_tokens_and_length_is_reported()
    {
        var generator = new ScriptedGenerator("Paris is the capital of France.");
        var client = generator.AsIChatClient(PromptTemplates.ChatMl);
        var response = await client.GetResponseAsync(Question, new ChatOptions { MaxOutputTokens = 2 });
        int prompt = generator.Tokenizer.EncodeToIds(client.RenderPrompt(Question)).Count;
        Assert.Equal(prompt, response.Usage!.InputTokenCount);
        Assert.Equal(2, response.Usage.OutputTokenCount);
        Assert.Equal(prompt + 2, response.Usage.TotalTokenCount);
        Assert.Equal(ChatFinishReason.Length, response.FinishReason);
        Assert.Equal(generator.Tokenizer.Decode(generator.Tokenizer.EncodeToIds("Paris is the capital of France.").Take(2)), response.Text);
    }

    [Fact]
    public async Task Metadata_and_services_are_reported()
    {
        var generator = new ScriptedGenerator("x");
        using IChatClient client = generator.AsIChatClient(PromptTemplates.Phi3, new GeneratorChatClientOptions { ModelId = "brown-phi3" });
        var metadata = client.GetService<ChatClientMetadata>()!;
        Assert.Equal("MLNetLlm", metadata.ProviderName);
        Assert.Equal("brown-phi3", metadata.DefaultModelId);
        Assert.Same(generator, client.GetService<ScriptedGenerator>());
        Assert.Same(client, client.GetService<GeneratorChatClient>());
        Assert.Null(client.GetService<ChatClientMetadata>("key"));
        Assert.Equal("brown-phi3", (await client.GetResponseAsync(Question)).ModelId);
    }

    [Fact]
    public async Task Tools_tool_messages_and_non_text_content_are_refused_with_the_reason()
    {
        var client = new ScriptedGenerator("x").AsIChatClient(PromptTemplates.ChatMl);
        var tools = new ChatOptions { Tools = [AIFunctionFactory.Create(() => 1, "one")] };
        Assert.Contains("tools", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync(Question, tools))).Message);
        var tool = new ChatMessage(ChatRole.Tool, "42");
        Assert.Contains("role 'tool'", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([tool]))).Message);
        var image = new ChatMessage(ChatRole.User, [new DataContent(new byte[] { 1, 2 }, "image/png")]);
        Assert.Contains("DataContent", (await Assert.ThrowsAsync<NotSupportedException>(() => client.GetResponseAsync([image]))).Message);
        var late = new ChatMessage[] { new(ChatRole.User, "a"), new(ChatRole.System, "b") };
        Assert.Contains("only the first turn", (await Assert.ThrowsAsync<ArgumentException>(() => client.GetResponseAsync(late))).Message);
    }

    [Fact]
    public async Task A_conversation_longer_than_the_context_is_refused_with_its_size_before_generating()
    {
        var generator = new ScriptedGenerator("x", contextLength: 8);
        var error = await Assert.ThrowsAsync<ArgumentException>(() => generator.AsIChatClient(PromptTemplates.ChatMl).GetResponseAsync(Question));
        Assert.Contains("the model reads at most 8", error.Message);
        Assert.Empty(generator.Prompts);
    }
}
