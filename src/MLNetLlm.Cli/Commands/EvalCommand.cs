using System.CommandLine;
using System.Globalization;
using Microsoft.ML;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm eval</c>: the loss and perplexity of a GPT or Llama-family model on a corpus, each document scored from its start; with
/// <c>--validation-fraction</c>, only the documents <c>pretrain</c> held out with the same fraction and seed.
/// </summary>
internal static class EvalCommand
{
    public static Command Create(CliConsole console)
    {
        var corpus = new Corpus();
        var model = ModelOption.Create(llama: true);
        var validationFraction = new Option<double?>("--validation-fraction") { Description = "Score only the documents pretrain held out with this fraction and --seed." };
        validationFraction.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is double f && f is not (> 0 and < 1)) r.AddError("--validation-fraction must be strictly between 0 and 1."); });
        var seed = new Option<int>("--seed") { Description = "Seed of the split (as given to pretrain).", DefaultValueFactory = _ => 1 };
        var batchSize = new Option<int>("--batch-size") { Description = "Documents per model call.", DefaultValueFactory = _ => 8 };
        batchSize.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 1) r.AddError("--batch-size must be at least 1."); });

        var command = new Command("eval", "Evaluate a GPT's or Llama-family model's loss and perplexity on the Brown corpus or a text file.");
        corpus.AddTo(command);
        command.Add(model);
        command.Add(validationFraction);
        command.Add(seed);
        command.Add(batchSize);
        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            var ml = new MLContext(seed: parsed.GetValue(seed));
            var data = corpus.Load(ml, parsed);
            if (parsed.GetValue(validationFraction) is double fraction)
                data = ml.Data.Llm.SplitForLanguageModeling(data, fraction, seed: parsed.GetValue(seed)).Validation;
            var options = new GptTransformerOptions { TextColumnName = "Text", BatchSize = parsed.GetValue(batchSize) };
            using var gpt = DecoderModel.Open(ModelOption.PathOf(parsed, model), options);
            var result = gpt.Evaluate(data);
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loss {result.Loss:F4}  perplexity {result.Perplexity:F2}  tokens {result.Tokens:N0}"));
            return Task.FromResult(0);
        });
        return command;
    }
}
