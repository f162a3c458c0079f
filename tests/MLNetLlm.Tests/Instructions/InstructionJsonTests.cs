using Microsoft.ML;
using MLNetLlm.Instructions;
using Xunit;

namespace MLNetLlm.Tests.Instructions;

public sealed class InstructionJsonTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mlnetllm-instructions-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void AJsonArrayInTheBooksFormatLoadsAsRowsInFileOrder()
    {
        var path = File("data.json", """
            [
              {"instruction": "Evaluate the following phrase by transforming it into the spelling given.", "input": "freind --> friend", "output": "The spelling of the given phrase \"freind\" is incorrect, the correct spelling is \"friend\"."},
              {"instruction": "Name a synonym of 'happy'.", "output": "Glad."}
            ]
            """);
        var ml = new MLContext(seed: 1);
        var rows = ml.Data.CreateEnumerable<InstructionRecord>(ml.Data.Llm.LoadInstructions(path), reuseRowObject: false).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal("freind --> friend", rows[0].Input);
        Assert.Equal("", rows[1].Input);
        Assert.Equal("Glad.", rows[1].Output);
    }

    [Fact]
    public void JsonLinesLoadTheSameRecordsAsAnArray()
    {
        var lines = File("data.jsonl", "{\"instruction\": \"a\", \"input\": \"b\", \"output\": \"c\"}\n\n{\"instruction\": \"d\", \"input\": \"\", \"output\": \"e\"}\n");
        var array = File("data.json", "[{\"instruction\": \"a\", \"input\": \"b\", \"output\": \"c\"}, {\"instruction\": \"d\", \"input\": \"\", \"output\": \"e\"}]");
        var fromLines = InstructionJson.Read(lines);
        var fromArray = InstructionJson.Read(array);
        Assert.Equal(fromArray.Select(r => (r.Instruction, r.Input, r.Output)), fromLines.Select(r => (r.Instruction, r.Input, r.Output)));
    }

    [Fact]
    public void WriteThenReadGivesTheSameRecords()
    {
        var path = Path.Combine(_folder, "out.json");
        InstructionJson.Write(path, [new InstructionRecord { Instruction = "i", Input = "in", Output = "o\n\"q\"" }]);
        var back = Assert.Single(InstructionJson.Read(path));
        Assert.Equal(("i", "in", "o\n\"q\""), (back.Instruction, back.Input, back.Output));
    }

    [Fact]
    public void MalformedJsonInAnArrayNamesTheRecord()
    {
        var path = File("bad.json", "[{\"instruction\": \"a\", \"output\": \"b\"},\n {\"instruction\": \"c\", \"output\": }]");
        var error = Assert.Throws<InvalidDataException>(() => InstructionJson.Read(path));
        Assert.Contains("record 2", error.Message);
    }

    [Fact]
    public void MalformedJsonLineNamesTheRecordAndLine()
    {
        var path = File("bad.jsonl", "{\"instruction\": \"a\", \"output\": \"b\"}\n{\"instruction\": \"c\", \"output\"\n");
        var error = Assert.Throws<InvalidDataException>(() => InstructionJson.Read(path));
        Assert.Contains("record 2 (line 2)", error.Message);
    }

    [Theory]
    [InlineData("[{\"instruction\": \"a\", \"output\": \"b\"}, {\"input\": \"x\", \"output\": \"y\"}]", "record 2 has no \"instruction\"")]
    [InlineData("[{\"instruction\": \"a\"}]", "record 1 has no \"output\"")]
    [InlineData("[{\"instruction\": \"a\", \"output\": 3}]", "\"output\" that is a JSON Number")]
    [InlineData("[{\"instruction\": \"a\", \"output\": \"b\"}, 7]", "record 2 is a JSON Number")]
    [InlineData("[{\"instruction\": \" \", \"output\": \"b\"}]", "record 1 has an empty instruction")]
    public void AMissingOrWrongFieldNamesTheRecord(string json, string expected)
    {
        var path = File("bad.json", json);
        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Data.Llm.LoadInstructions(path));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void AMissingFileIsNamed() =>
        Assert.Contains("no-such.json", Assert.Throws<FileNotFoundException>(() => InstructionJson.Read(Path.Combine(_folder, "no-such.json"))).Message);
}
