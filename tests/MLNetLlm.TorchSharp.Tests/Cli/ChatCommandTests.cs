using MLNetLlm.Cli;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

/// <summary>chat through its standard input, with the shipped brown-gpt and its ONNX with-past export; bad arguments of the new commands.</summary>
public class ChatCommandTests
{
    private const string Turns = "The jury said\n\nThe city of Atlanta\n/exit\nnever read\n";

    private static string[] Answers(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith("assistant> ", StringComparison.Ordinal))];

    [Fact]
    public async Task Chat_AnswersEachTurnUntilExit_TheSameForTheSameSeed()
    {
        var args = new[] { "chat", "--template", "chatml", "--temperature", "0.8", "--seed", "7", "-n", "10" };
        var (code, output, error) = await RunWithInput(Turns, args);
        Assert.True(code == 0, error);
        Assert.Equal(2, Answers(output).Length);
        var (again, outputAgain, _) = await RunWithInput(Turns, args);
        Assert.Equal(0, again);
        Assert.Equal(output, outputAgain);
    }

    [Fact]
    public async Task Chat_OverAnOnnxExport_AnswersLikeTheGptFolder()
    {
        using var folder = new TemporaryDirectory();
        var (exported, _, exportError) = await Run("export-onnx", "--kind", "with-past", "-o", folder.Sub("brown-past.onnx"));
        Assert.True(exported == 0, exportError);
        var args = new[] { "--temperature", "0", "-n", "8" };
        var (code, output, error) = await RunWithInput(Turns, ["chat", "-m", folder.Sub("brown-past.onnx"), .. args]);
        Assert.True(code == 0, error);
        var (_, torchOutput, _) = await RunWithInput(Turns, ["chat", .. args]);
        Assert.Equal(Answers(torchOutput), Answers(output));
    }

    [Fact]
    public async Task Chat_ALongConversation_DropsTheOldestExchange()
    {
        var turns = string.Concat(Enumerable.Repeat("The jury said that the city was in good hands and the election was fair\n", 4));
        var (code, output, error) = await RunWithInput(turns, "chat", "--temperature", "0", "-n", "10");
        Assert.True(code == 0, error);
        Assert.Equal(4, Answers(output).Length);
        Assert.Contains("oldest exchange was dropped", error);
    }

    public static TheoryData<string, string[]> BadCommands => new()
    {
        { "is not an index folder", ["search", "--index", "{empty}", "-q", "jury"] },
        { "does not exist", ["search", "--index", "{missing}", "-q", "jury"] },
        { "'fuzzy'", ["search", "--index", "{empty}", "--mode", "fuzzy", "-q", "jury"] },
        { "--template: 'bogus'", ["chat", "--template", "bogus"] },
        { "does not exist", ["chat", "-m", "{missing.onnx}"] },
        { "'Text' (--text-col) is not in", ["index", "-i", "{mail.csv}", "-o", "{out}"] },
        { "--overlap must be smaller", ["index", "-i", "{mail.csv}", "--text-col", "Body", "--max-tokens", "8", "--overlap", "8", "-o", "{out}"] },
        { "--question is empty", ["ask", "--index", "{empty}", "-q", " "] },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task BadArguments_Exit2_NameTheProblem_AndLeaveNothing(string expected, string[] args)
    {
        using var folder = new TemporaryDirectory();
        Directory.CreateDirectory(folder.Sub("empty"));
        File.WriteAllText(folder.Sub("mail.csv"), "Body,Kind\n\"Cheap pills, today\",spam\n\"Lunch at noon?\",ham\n");
        var (code, _, error) = await RunWithInput("", [.. args.Select(a => a.StartsWith('{') ? folder.Sub(a[1..^1]) : a)]);
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(folder.Sub("out")));
    }
}
