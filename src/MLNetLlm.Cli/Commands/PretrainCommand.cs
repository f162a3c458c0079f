using System.CommandLine;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.TorchSharp;
using Microsoft.ML;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm pretrain</c>: trains a GPT on a corpus with <c>PretrainGpt</c> and writes the model folder (weights,
/// config, tokenizer) with its history, loss curve and report.
/// </summary>
internal static class PretrainCommand
{
    public static Command Create(CliConsole console)
    {
        var corpus = new Corpus();
        var tokenizer = new Option<DirectoryInfo?>("--tokenizer", "-t") { Description = "A saved tokenizer folder (from train-tokenizer). Needed unless --init has one." };
        var init = new Option<DirectoryInfo?>("--init") { Description = "Continue training this model folder (ours or a Hugging Face GPT-2 folder; not Llama-family)." };
        var output = new Option<DirectoryInfo>("--output", "-o") { Description = "Folder to write the trained model, history.csv, loss.png and report.md.", Required = true };
        var checkpoints = new Option<DirectoryInfo?>("--checkpoints") { Description = "Folder for periodic training checkpoints (resumable)." };
        var resume = new Option<DirectoryInfo?>("--resume-from") { Description = "Resume exactly from a checkpoint of --checkpoints." };
        var layers = Positive(new Option<int>("--layers") { Description = "Transformer blocks.", DefaultValueFactory = _ => 4 });
        var heads = Positive(new Option<int>("--heads") { Description = "Attention heads; must divide --width.", DefaultValueFactory = _ => 4 });
        var width = Positive(new Option<int>("--width") { Description = "Embedding width.", DefaultValueFactory = _ => 256 });
        var context = Positive(new Option<int>("--context") { Description = "Context length (tokens per window).", DefaultValueFactory = _ => 128 });
        var dropout = new Option<double>("--dropout") { Description = "Dropout during training.", DefaultValueFactory = _ => 0.1 };
        var epochs = Positive(new Option<int>("--epochs") { Description = "Passes over the training windows.", DefaultValueFactory = _ => 1 });
        var maxTokens = new Option<long?>("--max-tokens") { Description = "Stop after this many training tokens." };
        var batchSize = Positive(new Option<int>("--batch-size") { Description = "Windows per batch.", DefaultValueFactory = _ => 16 });
        var learningRate = new Option<double>("--learning-rate", "--lr") { Description = "Peak learning rate.", DefaultValueFactory = _ => 1e-3 };
        var evalEvery = Positive(new Option<int>("--eval-every") { Description = "Evaluate the validation loss every N steps.", DefaultValueFactory = _ => 100 });
        var evalBatches = Positive(new Option<int>("--eval-batches") { Description = "Validation batches per evaluation (the report's figures use the same).", DefaultValueFactory = _ => 20 });
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Share of documents held out, in (0, 1).", DefaultValueFactory = _ => 0.1 };
        validationFraction.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (> 0 and < 1)) r.AddError("--validation-fraction must be strictly between 0 and 1."); });
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the initial weights and the data order.", DefaultValueFactory = _ => 1 };
        var precision = PrecisionOption.Create("Matrix products in fp32, or bf16 mixed precision (fp32 weights and checkpoints; fast on CPUs with AVX-512 BF16).");

        var command = new Command("pretrain", "Pretrain a GPT on the Brown corpus or a text file, with a progress bar, and write the model and its report.");
        corpus.AddTo(command);
        foreach (var option in new Option[] { tokenizer, init, output, checkpoints, resume, layers, heads, width, context, dropout, epochs, maxTokens, batchSize, learningRate, evalEvery, evalBatches, validationFraction, seed, precision })
            command.Add(option);
        command.Validators.Add(r =>
        {
            if (r.GetValue(tokenizer) is null && r.GetValue(init) is null)
                r.AddError("Give --tokenizer <folder> (see train-tokenizer), or --init <model folder> that has one.");
            foreach (var folder in new[] { r.GetValue(tokenizer), r.GetValue(init), r.GetValue(resume) })
                if (folder is { Exists: false })
                    r.AddError($"The folder {folder.FullName} does not exist.");
        });

        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            var ml = new MLContext(seed: parsed.GetValue(seed));
            var data = corpus.Load(ml, parsed);
            var outputFolder = parsed.GetValue(output)!.FullName;
            if (parsed.GetValue(init) is { } initial)
                DecoderModel.RequireGpt(initial.FullName, "pretrain --init", "our GPT checkpoints and Hugging Face GPT-2 folders");
            var options = new GptPretrainingOptions
            {
                Tokenizer = parsed.GetValue(tokenizer) is { } t ? LlmTokenizers.Load(t.FullName) : null,
                InitialModelPath = parsed.GetValue(init)?.FullName,
                Model = parsed.GetValue(init) is null
                    ? GptPretrainingOptions.DefaultModel with
                    {
                        Layers = parsed.GetValue(layers),
                        Heads = parsed.GetValue(heads),
                        EmbeddingSize = parsed.GetValue(width),
                        ContextLength = parsed.GetValue(context),
                        Dropout = parsed.GetValue(dropout),
                    }
                    : null,
                ValidationFraction = parsed.GetValue(validationFraction),
                Seed = parsed.GetValue(seed),
                CancellationToken = cancellationToken,
                Training = new GptTrainingOptions
                {
                    MaxEpochs = parsed.GetValue(epochs),
                    MaxTokens = parsed.GetValue(maxTokens),
                    BatchSize = parsed.GetValue(batchSize),
                    LearningRate = parsed.GetValue(learningRate),
                    MinLearningRate = parsed.GetValue(learningRate) / 10,
                    EvaluateEveryNSteps = parsed.GetValue(evalEvery),
                    EvaluationBatches = parsed.GetValue(evalBatches),
                    CheckpointDirectory = parsed.GetValue(checkpoints)?.FullName,
                    CheckpointEveryNSteps = parsed.GetValue(checkpoints) is null ? 0 : parsed.GetValue(evalEvery),
                    ResumeFrom = parsed.GetValue(resume)?.FullName,
                    Precision = PrecisionOption.ValueOf(parsed, precision),
                },
            };
            _ = ml.Transforms.Llm.PretrainGpt(options); // rejects bad options before the output folder is touched
            PretrainReport.CheckWritable(outputFolder);
            using var gpt = TrainingProgressBar.Run(console, progress => ml.Transforms.Llm.PretrainGpt(options with { Progress = progress }).Fit(data));
            GptCheckpoint.Save(gpt.Model, outputFolder, gpt.Tokenizer);
            PretrainReport.Write(outputFolder, gpt, Environment.GetCommandLineArgs());
            var report = gpt.Training!;
            console.Out.WriteLine($"Validation perplexity {report.ValidationBefore.Perplexity:F1} -> {report.ValidationAfter.Perplexity:F1} (unigram {report.UnigramValidationPerplexity:F1}); {report.TokensSeen:N0} tokens in {report.Elapsed:hh\\:mm\\:ss}. Model written to {outputFolder}.");
            return Task.FromResult(0);
        });
        return command;
    }

    private static Option<T> Positive<T>(Option<T> option) where T : struct, IComparable<T>
    {
        option.Validators.Add(r => { if (r.GetValueOrDefault<T>().CompareTo(default) <= 0) r.AddError($"{option.Name} must be positive."); });
        return option;
    }
}
