using Microsoft.Extensions.AI;
using MLNetLlm.Chat;
using MLNetLlm.Retrieval;
using MLNetLlm.Tests.Chat;

namespace MLNetLlm.Tests.Retrieval;

public class RetrievalAugmentedGeneratorTests
{
    private static WordOverlapRetriever Corpus() => new(
        "Paris is the capital of France.",
        "The Seine flows through Paris.",
        "Madrid is the capital of Spain.",
        "Bread is baked in ovens.");

    [Fact]
    public async Task The_prompt_numbers_the_retrieved_passages_and_the_answer_cites_them()
    {
        var client = new FakeChatClient("Paris [1], on the Seine [2, 1]; see also [7].");
        var rag = new RetrievalAugmentedGenerator(Corpus(), client, new RagOptions { PassageCount = 3 });
        var answer = await rag.AnswerAsync("What is the capital of France?");

        Assert.Equal(["p0", "p2", "p1"], answer.Sources.Select(s => s.Passage.Id));
        Assert.Equal([1, 2, 3], answer.Sources.Select(s => s.Number));
        Assert.Equal(["p0", "p2"], answer.Citations.Select(s => s.Passage.Id));
        Assert.Equal([7], answer.UnknownCitations);
        Assert.Equal(3, answer.Usage!.OutputTokenCount);

        Assert.Equal(ChatRole.System, client.LastMessages[0].Role);
        Assert.Equal(RagOptions.DefaultInstructions, client.LastMessages[0].Text);
        Assert.Equal(
            "Sources:\n[1] Paris is the capital of France.\n[2] Madrid is the capital of Spain.\n[3] The Seine flows through Paris.\n\nQuestion: What is the capital of France?",
            client.LastMessages[1].Text);
    }

    [Fact]
    public async Task Streaming_gives_the_same_answer_piece_by_piece_and_the_citations_at_the_end()
    {
        var rag = new RetrievalAugmentedGenerator(Corpus(), new FakeChatClient("Paris [1] is the capital."));
        var updates = new List<RagUpdate>();
        await foreach (var update in rag.StreamAsync("capital of France")) updates.Add(update);
        Assert.True(updates.Count >= 5);
        Assert.All(updates[..^1], update => Assert.Null(update.Answer));
        var answer = updates[^1].Answer!;
        Assert.Equal("Paris [1] is the capital.", string.Concat(updates.Select(update => update.Text)));
        Assert.Equal(answer.Text, (await rag.AnswerAsync("capital of France")).Text);
        Assert.Equal("p0", answer.Citations.Single().Passage.Id);
        Assert.Equal(10, answer.Usage!.InputTokenCount);
    }

    [Theory]
    [InlineData(FakeChatClient.Behaviour.Fail, false)]
    [InlineData(FakeChatClient.Behaviour.Fail, true)]
    [InlineData(FakeChatClient.Behaviour.FailMidStream, true)]
    public async Task A_failing_endpoint_is_named_and_tried_once(FakeChatClient.Behaviour behaviour, bool streaming)
    {
        var client = new FakeChatClient("Paris [1] is the capital.", behaviour);
        var rag = new RetrievalAugmentedGenerator(Corpus(), client);
        var error = await Assert.ThrowsAsync<ChatEndpointException>(() => streaming ? Drain(rag.StreamAsync("capital of France")) : rag.AnswerAsync("capital of France"));
        Assert.Equal("FakeChatClient (provider fake, at http://chat.example/v1, model fake-1)", error.Endpoint);
        Assert.Contains(error.Endpoint, error.Message);
        Assert.Contains("not retried", error.Message);
        Assert.IsType<HttpRequestException>(error.InnerException);
        Assert.Equal(1, client.Calls);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_endpoint_that_never_answers_is_abandoned_after_the_timeout(bool streaming)
    {
        var client = new FakeChatClient("never", FakeChatClient.Behaviour.Hang);
        var rag = new RetrievalAugmentedGenerator(Corpus(), client, new RagOptions { Timeout = TimeSpan.FromMilliseconds(50) });
        var error = await Assert.ThrowsAsync<ChatEndpointException>(() => streaming ? Drain(rag.StreamAsync("capital of France")) : rag.AnswerAsync("capital of France"));
        Assert.Contains("did not answer within", error.Message);
        Assert.Equal(1, client.Calls);
    }

    [Fact]
    public async Task The_callers_cancellation_is_a_cancellation_not_an_endpoint_failure()
    {
        var rag = new RetrievalAugmentedGenerator(Corpus(), new FakeChatClient("never", FakeChatClient.Behaviour.Hang), new RagOptions { Timeout = null });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => rag.AnswerAsync("capital of France", cancel.Token));
    }

    [Fact]
    public async Task Our_generator_answers_through_its_template_with_the_grounded_prompt()
    {
        var generator = new ScriptedGenerator("Paris [1].\n\n### Instruction:\nmore");
        var rag = new RetrievalAugmentedGenerator(Corpus(), generator.AsIChatClient(), new RagOptions { PassageCount = 1, MaxPassageCharacters = 12 });
        var answer = await rag.AnswerAsync("capital of France?");
        Assert.Equal("Paris [1].", answer.Text);
        Assert.Equal("p0", answer.Citations.Single().Passage.Id);
        Assert.Equal(
            RagOptions.DefaultInstructions + "\n\n### Instruction:\nSources:\n[1] Paris is the\n\nQuestion: capital of France?\n\n### Response:\n",
            generator.Prompts.Single());
    }

    [Fact]
    public async Task Sources_too_long_for_our_models_context_say_so_through_the_endpoint_error()
    {
        var generator = new ScriptedGenerator("x", contextLength: 40);
        var rag = new RetrievalAugmentedGenerator(Corpus(), generator.AsIChatClient());
        var error = await Assert.ThrowsAsync<ChatEndpointException>(() => rag.AnswerAsync("capital of France?"));
        Assert.Contains("GeneratorChatClient (provider MLNetLlm, model ScriptedGenerator/alpaca)", error.Message);
        Assert.Contains("fewer or shorter passages", error.Message);
        Assert.Empty(generator.Prompts);
    }

    [Fact]
    public async Task No_passages_found_still_asks_and_says_so()
    {
        var client = new FakeChatClient("I do not know.");
        var answer = await new RetrievalAugmentedGenerator(Corpus(), client).AnswerAsync("zebra?");
        Assert.Empty(answer.Sources);
        Assert.Empty(answer.Citations);
        Assert.Contains("(no sources found)", client.LastMessages[^1].Text);
    }

    [Fact]
    public async Task Bad_questions_and_options_are_refused_before_anything_is_asked()
    {
        var retriever = Corpus();
        var client = new FakeChatClient("x");
        var rag = new RetrievalAugmentedGenerator(retriever, client);
        await Assert.ThrowsAsync<ArgumentException>(() => rag.AnswerAsync("  "));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => rag.AnswerAsync(null!));
        Assert.Equal(0, retriever.Calls);
        Assert.Equal(0, client.Calls);
        Assert.Contains("{question}", Assert.Throws<ArgumentException>(() => new RetrievalAugmentedGenerator(retriever, client, new RagOptions { PromptFormat = "{sources}" })).Message);
        Assert.Contains("more than once", Assert.Throws<ArgumentException>(() => new RetrievalAugmentedGenerator(retriever, client, new RagOptions { PromptFormat = "{sources}{question}{sources}" })).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalAugmentedGenerator(retriever, client, new RagOptions { PassageCount = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalAugmentedGenerator(retriever, client, new RagOptions { Timeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RetrievalAugmentedGenerator(retriever, client, new RagOptions { MaxPassageCharacters = -1 }));
    }

    [Fact]
    public void Citation_markers_are_read_in_order_once_each()
    {
        Assert.Equal([1, 4, 2, 3, 5], Citations.Parse("[1][4] and [2, 3] but not [x] or [] though [ 5 ] and [1] again"));
        Assert.Empty(Citations.Parse("no citations, [a]"));
    }

    private static async Task Drain(IAsyncEnumerable<RagUpdate> updates)
    {
        await foreach (var _ in updates)
        {
        }
    }
}
