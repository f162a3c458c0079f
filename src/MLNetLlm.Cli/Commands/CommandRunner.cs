using System.CommandLine;

namespace MLNetLlm.Cli.Commands;

/// <summary>Runs a command's body and turns its failures into exit codes and one-line messages.</summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="body"/> as the action of <paramref name="command"/>.</summary>
    public static void SetBody(Command command, CliConsole console, Func<ParseResult, CancellationToken, Task<int>> body) =>
        command.SetAction(async (parsed, cancellationToken) =>
        {
            try
            {
                return await body(parsed, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                await console.Error.WriteLineAsync("cancelled.");
                return 130;
            }
            catch (Exception e) when (e is ArgumentException or FileNotFoundException or DirectoryNotFoundException or InvalidDataException or UsageException)
            {
                await console.Error.WriteLineAsync($"error: {e.Message}");
                return CliApp.BadArguments;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await console.Error.WriteLineAsync($"error: {e.Message}");
                if (Environment.GetEnvironmentVariable("MLNETLLM_DEBUG") is "1")
                    await console.Error.WriteLineAsync(e.ToString());
                return CliApp.Failure;
            }
        });
}

/// <summary>A value the command line gave that the command cannot use; the message says which and why.</summary>
internal sealed class UsageException(string message) : Exception(message);
