using System.Text.Json;
using Microsoft.ML;
using MLNetLlm.Cli;
using MLNetLlm.TorchSharp.Instructions;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

/// <summary>instruct: LoRA tuning of the shipped brown-gpt on a small instruction file, the saved model and adapters read
/// back, answers from standard input; bad arguments.</summary>
public class InstructCommandTests
{
    private static readonly (string Word, string Synonym)[] Words =
        [("happy", "glad"), ("big", "large"), ("quick", "fast"), ("small", "little"), ("begin", "start"), ("end", "finish")];

    private static string InstructionFile(TemporaryDirectory folder)
    {
        var records = Enumerable.Range(0, 4).SelectMany(_ => Words)
            .Select(w => new { instruction = "Give a synonym of the word.", input = w.Word, output = w.Synonym });
        var path = folder.Sub("synonyms.json");
        File.WriteAllText(path, JsonSerializer.Serialize(records));
        return path;
    }

    [Fact]
    public async Task Instruct_TrainsLora_WritesModelAdapterAndReport_ThenAnswersFromStandardInput()
    {
        using var folder = new TemporaryDirectory();
        var output = folder.Sub("tuned");
        var (code, text, error) = await Run("instruct", "--data", InstructionFile(folder), "--max-steps", "3", "--batch-size", "4", "--lr", "1e-2", "-o", output);
        Assert.True(code == 0, error);
        Assert.Contains("Tuned on 22 examples", text); // 24 records, 10 % (2) held out for validation
        foreach (var file in new[] { "model.zip", LoraAdapter.FileName, "report.json", "history.csv", "loss.png" })
            Assert.True(File.Exists(Path.Combine(output, file)), file);
        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, "report.json"))))
        {
            Assert.Equal("LoRA", report.RootElement.GetProperty("parameters").GetString());
            Assert.Equal(3, report.RootElement.GetProperty("steps").GetInt64());
            Assert.True(report.RootElement.GetProperty("validationResponseLossAfter").GetDouble() < report.RootElement.GetProperty("validationResponseLossBefore").GetDouble());
        }

        var (answered, answers, answerError) = await RunWithInput("Give a synonym of the word.\thappy\n\nGive a synonym of the word.\tbegin\n/exit\nnever read\n", "instruct", "--tuned", output, "-n", "6");
        Assert.True(answered == 0, answerError);
        var lines = answers.Split('\n').Where(l => l.StartsWith("response> ", StringComparison.Ordinal)).Select(l => l["response> ".Length..]).ToList();
        Assert.Equal(2, lines.Count);

        // The saved pipeline and the adapters folded into a fresh brown-gpt answer as the command did.
        var greedy = new MLNetLlm.Generation.GenerationOptions { Greedy = true, MaxNewTokens = 6 };
        using (var saved = (InstructionTransformer)((IEnumerable<ITransformer>)new MLContext().Model.Llm.Load(Path.Combine(output, "model.zip"), out _)).Last())
            Assert.Equal(lines, saved.Answer([("Give a synonym of the word.", "happy"), ("Give a synonym of the word.", "begin")], greedy));
        var gpt = GptModels.LoadBrown();
        LoraAdapter.Load(output).MergeInto(gpt.Model);
        using var folded = InstructionTransformer.Wrap(gpt);
        Assert.Equal(lines, folded.Answer([("Give a synonym of the word.", "happy"), ("Give a synonym of the word.", "begin")], greedy));
    }

    public static TheoryData<string, string[]> BadCommands => new()
    {
        { "Give one of --data <file> or --wordnet", ["instruct", "-o", "{out}"] },
        { "Give one of --data <file> or --wordnet", ["instruct", "--wordnet", "--data", "{synonyms.json}", "-o", "{out}"] },
        { "Training needs --output", ["instruct", "--data", "{synonyms.json}"] },
        { "--output is for training", ["instruct", "--tuned", "{synonyms.json}", "-o", "{out}"] },
        { "does not exist", ["instruct", "--data", "{missing.json}", "-o", "{out}"] },
        { "does not exist", ["instruct", "--tuned", "{missing}"] },
        { "'bogus'", ["instruct", "--data", "{synonyms.json}", "--train", "bogus", "-o", "{out}"] },
        { "--max-examples must be at least 1", ["instruct", "--data", "{synonyms.json}", "--max-examples", "0", "-o", "{out}"] },
        { "record 2 has no \"output\" field", ["instruct", "--data", "{broken.json}", "-o", "{out}"] },
        { "has no config.json", ["instruct", "--data", "{synonyms.json}", "-m", "{empty}", "-o", "{out}"] },
    };

    [Theory]
    [MemberData(nameof(BadCommands))]
    public async Task BadArguments_Exit2_NameTheProblem_AndLeaveNothing(string expected, string[] args)
    {
        using var folder = new TemporaryDirectory();
        InstructionFile(folder);
        Directory.CreateDirectory(folder.Sub("empty"));
        File.WriteAllText(folder.Sub("broken.json"), """[{"instruction": "Give a synonym of the word.", "input": "big", "output": "large"}, {"instruction": "Give a synonym of the word.", "input": "end"}]""");
        var (code, _, error) = await RunWithInput("", [.. args.Select(a => a.StartsWith('{') ? folder.Sub(a[1..^1]) : a)]);
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains(expected, error);
        Assert.False(Directory.Exists(folder.Sub("out")));
    }

    [Fact]
    public async Task Tuned_AModelThatIsNotAnInstructionModel_Exits2()
    {
        using var folder = new TemporaryDirectory();
        var ml = new MLContext();
        using var gpt = GptModels.LoadBrown();
        ml.Model.Llm.Save(gpt, null, folder.Sub("gpt.zip"));
        var (code, _, error) = await RunWithInput("Say hi.\n", "instruct", "--tuned", folder.Sub("gpt.zip"));
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains("not an instruction-tuned model", error);
    }
}
