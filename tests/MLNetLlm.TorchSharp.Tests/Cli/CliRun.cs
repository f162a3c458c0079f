using MLNetLlm.Cli;

namespace MLNetLlm.TorchSharp.Tests.Cli;

/// <summary>Runs the command line in-process and captures what it writes.</summary>
internal static class CliRun
{
    public static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Runs an interactive command with <paramref name="input"/> as its standard input.</summary>
    public static async Task<(int Code, string Output, string Error)> RunWithInput(string input, params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliApp.RunAsync(args, new StringReader(input), output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>The files under <paramref name="folder"/> (none when it does not exist), to check that nothing was left.</summary>
    public static string[] FilesUnder(string folder) =>
        Directory.Exists(folder) ? Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories) : [];
}
