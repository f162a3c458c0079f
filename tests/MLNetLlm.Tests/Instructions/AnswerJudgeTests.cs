using Microsoft.Extensions.AI;
using MLNetLlm.Instructions;
using MLNetLlm.Retrieval;
using MLNetLlm.Tests.Retrieval;

namespace MLNetLlm.Tests.Instructions;

public class AnswerJudgeTests
{
    private static readonly (string, string?, string, string)[] Items =
    [
        ("Give a synonym of the word.", "happy", "glad", "glad"),
        ("Define the word.", "dog (noun)", "a domesticated carnivore", "a cat"),
        ("Give an antonym of the word.", "", "cold", "hot"),
    ];

    [Theory]
    [InlineData("85", 85)]
    [InlineData(" 100\n", 100)]
    [InlineData("0", 0)]
    [InlineData("Score: 72", 72)]
    [InlineData("I would score it 40/100.", 40)]
    [InlineData("60 out of 100", 60)]
    [InlineData("87.5", 88)]
    [InlineData("101", null)]
    [InlineData("-5", null)]
    [InlineData("7/10", null)]
    [InlineData("8 out of 10", null)]
    [InlineData("The response is good.", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void ParseScore_ReadsTheFirstNumberOnTheZeroToHundredScale(string? reply, int? expected) =>
        Assert.Equal(expected, AnswerJudge.ParseScore(reply));

    [Fact]
    public void Prompt_IsTheBooksWithTheInputOnlyWhenThereIsOne()
    {
        var prompt = AnswerJudge.Prompt("Define the word.", "dog (noun)", "a domesticated carnivore", "a cat");
        Assert.Equal("Given the input `### Instruction:\nDefine the word.\n\n### Input:\ndog (noun)` and correct output `a domesticated carnivore`, " +
            "score the model response `a cat` on a scale from 0 to 100, where 100 is the best score. Respond with the integer number only.", prompt);
        Assert.DoesNotContain("### Input:", AnswerJudge.Prompt("Name a colour.", "", "red", "blue"));
    }

    [Fact]
    public async Task ScoreAsync_AsksOncePerAnswer_AndAveragesTheParsedScores()
    {
        var client = new ScriptedChatClient("90", "Score: 10", "no idea");
        var scores = await new AnswerJudge(client).ScoreAsync(Items);
        Assert.Equal([90, 10, null], scores.Scores);
        Assert.Equal(1, scores.Unparsed);
        Assert.Equal(50, scores.Mean);
        Assert.False(scores.Skipped);
        Assert.Null(scores.Message);
        Assert.Equal(3, client.Prompts.Count);
        Assert.Contains("score the model response `a cat`", client.Prompts[1]);
    }

    [Fact]
    public async Task ScoreAsync_WithoutAClient_SkipsWithAMessage()
    {
        var scores = await new AnswerJudge(null).ScoreAsync(Items);
        Assert.True(scores.Skipped);
        Assert.Contains("no chat client is configured", scores.Message);
        Assert.Empty(scores.Scores);
        Assert.True(double.IsNaN(scores.Mean));
    }

    [Fact]
    public async Task ScoreAsync_NoReplyParses_SaysSo()
    {
        var scores = await new AnswerJudge(new ScriptedChatClient("good", "bad", "ok")).ScoreAsync(Items);
        Assert.Equal(3, scores.Unparsed);
        Assert.True(double.IsNaN(scores.Mean));
        Assert.Contains("No reply of the judge held a score", scores.Message);
        Assert.False(scores.Skipped);
    }

    [Fact]
    public async Task ScoreAsync_AFailingEndpoint_IsNamed()
    {
        using var client = new FakeChatClient("", FakeChatClient.Behaviour.Fail);
        var error = await Assert.ThrowsAsync<ChatEndpointException>(() => new AnswerJudge(client).ScoreAsync(Items));
        Assert.Contains("chat.example", error.Message);
        Assert.Contains("answer 1", error.Message);
        Assert.Equal(1, client.Calls);
    }

    /// <summary>Replies with the given texts in turn and records each prompt.</summary>
    private sealed class ScriptedChatClient(params string[] replies) : IChatClient
    {
        public List<string> Prompts { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            Prompts.Add(string.Join("\n", messages.Select(m => m.Text)));
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, replies[Prompts.Count - 1])));
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
