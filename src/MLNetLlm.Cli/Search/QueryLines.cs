namespace MLNetLlm.Cli.Search;

/// <summary>
/// The lines an interactive command reads: one query or turn a line, blank lines skipped, until end of input or
/// <c>/exit</c>. Shows a prompt only when a person types (the console's own input, not redirected).
/// </summary>
internal static class QueryLines
{
    public const string Exit = "/exit";

    public static async IAsyncEnumerable<string> ReadAsync(CliConsole console, string prompt, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        bool person = ReferenceEquals(console.In, Console.In) && !Console.IsInputRedirected;
        if (person)
            await console.Out.WriteLineAsync($"Type one a line; {Exit} or end of input (Ctrl+D, Ctrl+Z on Windows) quits.");
        while (true)
        {
            if (person)
                await console.Out.WriteAsync(prompt);
            var line = await console.In.ReadLineAsync(cancellationToken);
            if (line is null || line.Trim() == Exit)
                yield break;
            if (!string.IsNullOrWhiteSpace(line))
                yield return line.Trim();
        }
    }
}
