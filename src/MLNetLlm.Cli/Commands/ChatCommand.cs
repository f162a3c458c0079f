using System.CommandLine;
using Microsoft.Extensions.AI;
using MLNetLlm.Chat;
using MLNetLlm.Cli.Search;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm chat</c>: an interactive session with a GPT or Llama-family folder or an ONNX with-past export, through a
/// chat template (<c>AsIChatClient</c>). Reads one user turn a line from standard input until end of input or <c>/exit</c>, streams
/// each answer, and keeps the conversation; when it outgrows the model's context the oldest exchanges are dropped.
/// </summary>
internal static class ChatCommand
{
    public static Command Create(CliConsole console)
    {
        var generator = new GeneratorOption();
        var system = new Option<string?>("--system") { Description = "A system message: instructions the whole session follows." };
        var command = new Command("chat", "Chat with a GPT or Llama-family folder or an ONNX with-past export through a chat template, streaming; one turn a line from standard input, until end of input or /exit.");
        generator.AddTo(command);
        command.Add(system);
        CommandRunner.SetBody(command, console, async (parsed, cancellationToken) =>
        {
            using var client = generator.OpenChat(parsed, console, out var owner);
            using var _ = owner;
            var options = generator.ChatOptions(parsed);
            var history = new List<ChatMessage>();
            if (parsed.GetValue(system) is string instructions && instructions.Length > 0)
                history.Add(new ChatMessage(ChatRole.System, instructions));
            int firstExchange = history.Count;
            await foreach (var turn in QueryLines.ReadAsync(console, "you> ", cancellationToken))
            {
                history.Add(new ChatMessage(ChatRole.User, turn));
                var answer = await Answer(console, client, history, firstExchange, options, cancellationToken);
                if (answer is null)
                    history.RemoveAt(history.Count - 1);
                else
                    history.Add(new ChatMessage(ChatRole.Assistant, answer));
            }
            return 0;
        });
        return command;
    }

    /// <summary>Streams the answer to the last turn; null when even that turn alone is longer than the model reads.</summary>
    private static async Task<string?> Answer(CliConsole console, IChatClient client, List<ChatMessage> history, int firstExchange, ChatOptions options, CancellationToken cancellationToken)
    {
        while (true)
        {
            var text = new System.Text.StringBuilder();
            try
            {
                await foreach (var update in client.GetStreamingResponseAsync(history, options, cancellationToken))
                {
                    if (update.Text.Length == 0)
                        continue;
                    if (text.Length == 0)
                        await console.Out.WriteAsync("assistant> ");
                    text.Append(update.Text);
                    await console.Out.WriteAsync(update.Text);
                    await console.Out.FlushAsync(cancellationToken);
                }
                await console.Out.WriteLineAsync(text.Length == 0 ? "assistant> (no answer)" : "");
                return text.ToString();
            }
            catch (ArgumentException e) when (text.Length == 0 && e.ParamName == "messages")
            {
                // The conversation outgrew the context: forget the oldest exchange, or give up on a turn too long alone.
                if (history.Count - firstExchange <= 1)
                {
                    await console.Error.WriteLineAsync($"error: this turn is too long for the model: {e.Message}");
                    return null;
                }
                history.RemoveRange(firstExchange, Math.Min(2, history.Count - firstExchange - 1));
                await console.Error.WriteLineAsync("(the conversation outgrew the model's context: the oldest exchange was dropped)");
            }
        }
    }
}
