using MLNetLlm.Cli;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

/// <summary>Bad arguments to classify, predict, embed and topics: exit 2, a message naming the problem, nothing written.</summary>
public class CommandBadInputTests : IDisposable
{
    private readonly TemporaryDirectory _folder = new();

    public CommandBadInputTests()
    {
        File.WriteAllText(_folder.Sub("mail.csv"), "Body,Kind\n\"Cheap pills, today\",spam\n\"Lunch at noon?\",ham\n\"Win a \"\"prize\"\"\",spam\nSee you,ham\n");
        File.WriteAllText(_folder.Sub("file"), "");
        Directory.CreateDirectory(_folder.Sub("not-a-model"));
    }

    public static TheoryData<string, string[]> BadCommands => new()
    {
        { "'Label' (--label-col) is not in", ["classify", "-i", "{mail.csv}", "--text-col", "Body", "--label-col", "Label", "-o", "{out}"] },
        { "'Text' (--text-col) is not in", ["embed", "-i", "{mail.csv}", "-o", "{out}/e.csv"] },
        { "not a table this tool reads", ["embed", "-i", "{file}", "-o", "{out}/e.csv"] },
        { "does not exist", ["topics", "-i", "{missing.csv}", "-o", "{out}"] },
        { "Unknown model 'bogus'", ["embed", "-i", "{mail.csv}", "--text-col", "Body", "--model", "bogus", "-o", "{out}/e.csv"] },
        { "'llama' not recognized", ["classify", "-i", "{mail.csv}", "--text-col", "Body", "--label-col", "Kind", "--backbone", "llama", "-o", "{out}"] },
        { "neither a .zip pipeline nor an .onnx classifier", ["predict", "-m", "{mail.csv}", "-i", "{mail.csv}", "-o", "{out}/p.csv"] },
        { "not an MLNetLlm model", ["predict", "-m", "{fake.zip}", "-i", "{mail.csv}", "--text-col", "Body", "-o", "{out}/p.csv"] },
        { "give a .csv, .tsv or .jsonl file", ["predict", "-m", "{fake.zip}", "-i", "{mail.csv}", "-o", "{out}/p.xlsx"] },
        { "is not writable", ["classify", "-i", "{mail.csv}", "--text-col", "Body", "--label-col", "Kind", "-o", "{file}/out"] },
        { "has no config.json", ["classify", "-i", "{mail.csv}", "--text-col", "Body", "--label-col", "Kind", "--base-model", "{not-a-model}", "-o", "{out}"] },
        { "--label-col", ["classify", "-i", "{mail.csv}", "-o", "{out}"] },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task BadArguments_Exit2_NameTheProblem_AndLeaveNothing(string expected, string[] args)
    {
        File.WriteAllText(_folder.Sub("fake.zip"), "not a zip");
        var (code, _, error) = await Run([.. args.Select(a => a.StartsWith('{') ? _folder.Sub(a[1..a.IndexOf('}')]) + a[(a.IndexOf('}') + 1)..] : a)]);
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains(expected, error);
        Assert.Empty(FilesUnder(_folder.Sub("out")));
        Assert.False(Directory.Exists(_folder.Sub("out")));
    }

    [Theory]
    [InlineData("Body,Kind\n\"never closed,spam\n", "never closed")]
    [InlineData("Body,Kind\nfine,ham\nthree,fields,here\n", "Row 2 of")]
    [InlineData("Body,Kind\n", "no rows")]
    [InlineData("", "is empty")]
    public async Task MalformedTables_AreRefusedWithWhere(string content, string expected)
    {
        File.WriteAllText(_folder.Sub("bad.csv"), content);
        var (code, _, error) = await Run("embed", "-i", _folder.Sub("bad.csv"), "--text-col", "Body", "-o", _folder.Sub("out/e.csv"));
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(_folder.Sub("out")));
    }

    [Fact]
    public async Task ALineThatIsNotJson_IsNamed()
    {
        File.WriteAllText(_folder.Sub("bad.jsonl"), "{\"Body\": \"fine\"}\n{\"Body\": oops}\n");
        var (code, _, error) = await Run("embed", "-i", _folder.Sub("bad.jsonl"), "--text-col", "Body", "-o", _folder.Sub("out/e.csv"));
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains("Line 2 of", error);
    }

    public void Dispose() => _folder.Dispose();
}
