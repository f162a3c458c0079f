using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetLlm.Chat;
using MLNetLlm.Cli.Search;
using MLNetLlm.Retrieval;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm ask</c>: answers a question by retrieval-augmented generation over an index folder with a GPT
/// or Llama-family model (<see cref="RetrievalAugmentedGenerator"/>): streams the answer, then lists the sources it was given, marking those
/// it cites (<c>[n]</c>). Questions from <c>--question</c> or one a line from standard input.
/// </summary>
internal static class AskCommand
{
    public static Command Create(CliConsole console)
    {
        var index = SearchCommand.IndexOption();
        var question = new Option<string?>("--question", "-q") { Description = "The question; without it, questions are read from standard input, one a line, until end of input or /exit." };
        var mode = SearchCommand.ModeOption();
        var passages = Options.Positive(new Option<int>("--passages") { Description = "How many passages to put in the prompt.", DefaultValueFactory = _ => 3 });
        var passageChars = Options.Positive(new Option<int>("--passage-chars") { Description = "Longest passage text in the prompt, in characters (small models read little).", DefaultValueFactory = _ => 400 });
        var instructions = new Option<string>("--instructions") { Description = "The system message before the sources and question; empty sends none (for a template without a system slot).", DefaultValueFactory = _ => RagOptions.DefaultInstructions };
        var generator = new GeneratorOption();
        var command = new Command("ask", "Answer questions with retrieval-augmented generation over an index folder and a GPT or Llama-family model, citing the sources.") { index, question, mode, passages, passageChars, instructions };
        generator.AddTo(command);
        CommandRunner.SetBody(command, console, async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(question) is string q && string.IsNullOrWhiteSpace(q))
                throw new UsageException("--question is empty.");
            using var folder = IndexFolder.Load(new MLContext(seed: 1), parsed.GetValue(index)!.FullName);
            var retriever = folder.Retriever(parsed.GetValue(mode)!);
            using var client = generator.OpenChat(parsed, console, out var owner);
            using var _ = owner;
            var rag = new RetrievalAugmentedGenerator(retriever, client, new RagOptions
            {
                PassageCount = parsed.GetValue(passages),
                MaxPassageCharacters = parsed.GetValue(passageChars),
                Instructions = parsed.GetValue(instructions),
                ChatOptions = generator.ChatOptions(parsed),
            });
            if (parsed.GetValue(question) is string single)
                await Answer(console, rag, single, cancellationToken);
            else
                await foreach (var line in QueryLines.ReadAsync(console, "question> ", cancellationToken))
                    await Answer(console, rag, line, cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task Answer(CliConsole console, RetrievalAugmentedGenerator rag, string question, CancellationToken cancellationToken)
    {
        await console.Out.WriteLineAsync($"# {question}");
        RagAnswer? answer = null;
        try
        {
            await foreach (var update in rag.StreamAsync(question, cancellationToken))
            {
                await console.Out.WriteAsync(update.Text);
                answer = update.Answer ?? answer;
            }
        }
        catch (ChatEndpointException e) when (e.InnerException is ArgumentException inner)
        {
            // With a small model the usual cause is a grounded prompt longer than its context.
            throw new UsageException(inner.ParamName == "messages"
                ? $"{inner.Message} (try fewer --passages or a smaller --passage-chars)"
                : inner.Message);
        }
        await console.Out.WriteLineAsync();
        await console.Out.WriteLineAsync("Sources:");
        foreach (var source in answer!.Sources)
        {
            var p = source.Passage;
            bool cited = answer.Citations.Any(c => c.Number == source.Number);
            var text = p.Text.ReplaceLineEndings(" ");
            await console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"  [{source.Number}]{(cited ? "*" : " ")} {p.SourceId} [{p.Start}..{p.Start + p.Length})  {(text.Length > 100 ? text[..97] + "..." : text)}"));
        }
        await console.Out.WriteLineAsync(answer.Citations.Count == 0 ? "(the answer cites no source)" : "(* cited in the answer)");
    }
}
