using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.ML;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using static MLNetLlm.TorchSharp.Tests.Cli.CliRun;

namespace MLNetLlm.TorchSharp.Tests.Cli;

public class PretrainCommandTests
{
    [Fact]
    public async Task Pretrain_OnATinyBudget_WritesAModelThatGenerateAndEvalUse()
    {
        using var folder = new TemporaryDirectory();
        var corpus = folder.Sub("corpus.txt");
        File.WriteAllText(corpus, string.Join("\n\n", TinyGpt.Corpus(30).Select(d => d.Text)));
        TinyGpt.Tokenizer.Save(folder.Sub("tokenizer"));
        var model = folder.Sub("model");

        var (code, output, error) = await Run("pretrain", "--input", corpus, "-t", folder.Sub("tokenizer"), "-o", model,
            "--layers", "1", "--heads", "2", "--width", "32", "--context", "16", "--dropout", "0", "--epochs", "3", "--batch-size", "4",
            "--learning-rate", "0.01", "--eval-every", "5", "--eval-batches", "2", "--validation-fraction", "0.2", "--seed", "7");

        Assert.True(code == 0, error);
        foreach (var file in new[] { "model.safetensors", "config.json", "history.csv", "loss.png", "report.md", Path.Combine("tokenizer", "tokenizer.json") })
            Assert.True(File.Exists(Path.Combine(model, file)), $"{file} was not written");
        using (var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(model, "config.json"))))
        {
            Assert.Equal(1, config.RootElement.GetProperty("n_layer").GetInt32());
            Assert.Equal(32, config.RootElement.GetProperty("n_embd").GetInt32());
            Assert.Equal(16, config.RootElement.GetProperty("n_positions").GetInt32());
            Assert.Equal(300, config.RootElement.GetProperty("vocab_size").GetInt32());
        }
        var printed = Regex.Match(output, @"Validation perplexity ([\d.,]+) -> ([\d.,]+)");
        Assert.True(printed.Success, output);
        double before = double.Parse(printed.Groups[1].Value, NumberStyles.Number, CultureInfo.CurrentCulture);

        var (generated, text, generateError) = await Run("generate", "--model", model, "--prompt", "The jury", "-n", "6", "--temperature", "0");
        Assert.True(generated == 0, generateError);
        using (var loaded = new MLContext(seed: 1).Transforms.Llm.LoadGpt(model).Transformer)
            Assert.Equal("The jury" + loaded.Generate("The jury", 6, temperature: 0), text.TrimEnd('\r', '\n'));

        var (evaluated, figures, evalError) = await Run("eval", "--input", corpus, "--model", model, "--validation-fraction", "0.2", "--seed", "7");
        Assert.True(evaluated == 0, evalError);
        var perplexity = double.Parse(Regex.Match(figures, @"perplexity (\d+\.\d\d)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(perplexity < before / 2, $"held-out perplexity {perplexity} after training, {before} before");
    }
}
