using MLNetLlm.Cli;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Tests.Pretraining;

namespace MLNetLlm.TorchSharp.Tests.Cli;

public class CliTests
{
    private static async Task<(int Code, string Output, string Error)> Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = await CliApp.RunAsync(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("train-tokenizer", "--vocab-size")]
    [InlineData("pretrain", "--max-tokens")]
    [InlineData("generate", "--temperature")]
    [InlineData("eval", "--validation-fraction")]
    [InlineData("pretrain", "--precision")]
    [InlineData("generate", "--precision")]
    [InlineData("classify", "--label-col")]
    [InlineData("predict", "--text-col")]
    [InlineData("embed", "--first-window-only")]
    [InlineData("topics", "--min-topic-size")]
    public async Task EveryCommand_HasHelp(string command, string option)
    {
        var (code, output, _) = await Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains(command, output);
        Assert.Contains(option, output);
    }

    [Theory]
    [InlineData("Give exactly one corpus", "pretrain", "-t", ".", "-o", "out")]
    [InlineData("--vocab-size must be at least 257", "train-tokenizer", "--brown", "--vocab-size", "10", "-o", "out")]
    [InlineData("does not exist", "generate", "--model", "/no/such/model")]
    [InlineData("strictly between 0 and 1", "eval", "--brown", "--validation-fraction", "1")]
    [InlineData("--output", "train-tokenizer", "--brown")]
    [InlineData("not-a-command", "not-a-command")]
    [InlineData("bf16", "pretrain", "--brown", "-t", ".", "-o", "out", "--precision", "fp8")]
    public async Task BadArguments_ExitWith2AndSayWhy(string expected, params string[] args)
    {
        var (code, _, error) = await Run(args);
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains(expected, error);
    }

    [Fact]
    public async Task TrainTokenizer_Generate_Eval_OnATextFile()
    {
        using var folder = new TemporaryDirectory();
        var corpus = folder.Sub("corpus.txt");
        File.WriteAllText(corpus, string.Join("\n\n", TinyGpt.Corpus(30).Select(d => d.Text)));

        var (trained, trainOutput, _) = await Run("train-tokenizer", "--input", corpus, "--vocab-size", "300", "-o", folder.Sub("tokenizer"));
        Assert.Equal(0, trained);
        Assert.Contains("300", trainOutput);
        Assert.True(File.Exists(Path.Combine(folder.Sub("tokenizer"), "tokenizer.json")));

        using (var model = new GptModel(TinyGpt.Config, seed: 1))
            GptCheckpoint.Save(model, folder.Sub("model"), MLNetLlm.Tokenization.LlmTokenizers.Load(folder.Sub("tokenizer")));
        var (generated, text, _) = await Run("generate", "--model", folder.Sub("model"), "--prompt", "The jury", "-n", "5", "--seed", "3");
        Assert.Equal(0, generated);
        Assert.StartsWith("The jury", text);
        var (generatedBf16, textBf16, _) = await Run("generate", "--model", folder.Sub("model"), "--prompt", "The jury", "-n", "5", "--seed", "3", "--precision", "bf16");
        Assert.Equal(0, generatedBf16);
        Assert.StartsWith("The jury", textBf16); // the prompt's pass runs bf16 (at any width), so sampled tokens may differ

        var (evaluated, figures, _) = await Run("eval", "--input", corpus, "--model", folder.Sub("model"));
        Assert.Equal(0, evaluated);
        Assert.Matches(@"perplexity \d+\.\d\d", figures);
    }

    [Fact]
    public async Task Pretrain_RejectsAnUnwritableOutputBeforeTraining()
    {
        using var folder = new TemporaryDirectory();
        var corpus = folder.Sub("corpus.txt");
        File.WriteAllText(corpus, string.Join("\n\n", TinyGpt.Corpus(30).Select(d => d.Text)));
        File.WriteAllText(folder.Sub("file"), "");
        TinyGpt.Tokenizer.Save(folder.Sub("tokenizer"));

        var (code, output, error) = await Run("pretrain", "--input", corpus, "-t", folder.Sub("tokenizer"), "-o", Path.Combine(folder.Sub("file"), "model"),
            "--layers", "1", "--width", "16", "--heads", "2", "--context", "16");
        Assert.Equal(CliApp.BadArguments, code);
        Assert.Contains("not writable", error);
        Assert.DoesNotContain("step", output);
    }
}
