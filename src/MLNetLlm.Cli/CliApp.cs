using System.CommandLine;
using MLNetLlm.Cli.Commands;
using Spectre.Console;

namespace MLNetLlm.Cli;

/// <summary>
/// The <c>mlnetllm</c> command tree: <c>train-tokenizer</c>, <c>pretrain</c>, <c>generate</c>, <c>eval</c>, <c>export-onnx</c>,
/// <c>classify</c>, <c>predict</c>, <c>embed</c>, <c>topics</c>, <c>index</c>, <c>search</c>, <c>chat</c>, <c>ask</c>, <c>instruct</c>. Exit codes:
/// 0 success, 1 a failure (explained in one line), 2 bad arguments (a parse error, or a value the command rejects), 130 cancelled.
/// </summary>
public static class CliApp
{
    /// <summary>Exit code of bad arguments.</summary>
    public const int BadArguments = 2;

    /// <summary>Exit code of a failure the command explains (the model cannot be loaded, training failed, ...).</summary>
    public const int Failure = 1;

    /// <summary>Runs the command line <paramref name="args"/>, writing to <paramref name="output"/> and <paramref name="error"/>.</summary>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        RunAsync(args, Console.In, output, error, cancellationToken);

    /// <summary>Runs the command line <paramref name="args"/>; the interactive commands read <paramref name="input"/>.</summary>
    public static async Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var console = new CliConsole(output, error, input);
        var root = BuildRoot(console);
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var problem in parsed.Errors)
                await error.WriteLineAsync($"error: {problem.Message}");
            await error.WriteLineAsync("Run with --help for the usage.");
            return BadArguments;
        }
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, cancellationToken);
    }

    /// <summary>The root command with every sub-command.</summary>
    public static RootCommand BuildRoot(CliConsole console) =>
        new("mlnetllm: train tokenizers and GPT models, generate and evaluate; fine-tune and apply classifiers, embed texts and find topics; index, search, chat and ask with MLNetLlm.")
        {
            TrainTokenizerCommand.Create(console),
            PretrainCommand.Create(console),
            GenerateCommand.Create(console),
            EvalCommand.Create(console),
            ExportOnnxCommand.Create(console),
            ClassifyCommand.Create(console),
            PredictCommand.Create(console),
            EmbedCommand.Create(console),
            TopicsCommand.Create(console),
            IndexCommand.Create(console),
            SearchCommand.Create(console),
            ChatCommand.Create(console),
            AskCommand.Create(console),
            InstructCommand.Create(console),
        };
}

/// <summary>Where a command writes: plain text writers, and a Spectre console over the output for progress bars.</summary>
public sealed class CliConsole(TextWriter output, TextWriter error, TextReader? input = null)
{
    /// <summary>What the interactive commands (search without --query, chat) read, one line at a time.</summary>
    public TextReader In { get; } = input ?? Console.In;

    /// <summary>Normal output.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Error messages.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>A Spectre console over <see cref="Out"/> (interactive only on a real terminal).</summary>
    public IAnsiConsole Ansi { get; } = AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Interactive = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? InteractionSupport.Yes : InteractionSupport.No,
        Ansi = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected ? AnsiSupport.Detect : AnsiSupport.No,
    });
}
