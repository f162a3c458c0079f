using System.CommandLine;
using Microsoft.ML;
using MLNetLlm.Cli.Output;
using MLNetLlm.Cli.Search;
using MLNetLlm.Datasets;
using MLNetLlm.Generation;
using MLNetLlm.Instructions;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Instructions;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm instruct</c>: instruction-tunes a GPT (<c>FineTuneInstructions</c>, LoRA by default) on an instruction
/// JSON file or the WordNet instructions and writes the tuned model, its LoRA adapters and a report; with
/// <c>--tuned</c> it answers instructions read from standard input with a saved tuned model instead.
/// </summary>
internal static class InstructCommand
{
    private const string ModelFile = "model.zip";

    public static Command Create(CliConsole console)
    {
        var data = new Option<FileInfo?>("--data", "-d") { Description = "Instruction JSON in the book's format (instruction, input, output): a list, or JSON lines (.jsonl)." };
        var wordNet = new Option<bool>("--wordnet") { Description = "Train on the WordNet instructions' training split (its validation split validates)." };
        var tuned = new Option<string?>("--tuned") { Description = "Answer with a saved tuned model (model.zip, or the folder instruct wrote): one instruction a line from standard input, a tab before its input if any." };
        var maxExamples = new Option<int?>("--max-examples") { Description = "Train on a seeded sample of this many examples. Default: all." };
        maxExamples.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--max-examples must be at least 1."); });
        var model = ModelOption.Create(llama: false);
        var template = new Option<string>("--template", "-t") { Description = "The prompt format: alpaca, phi3, chatml or llama3.", DefaultValueFactory = _ => "alpaca" };
        template.AcceptOnlyFromAmong("alpaca", "phi3", "chatml", "llama3");
        var train = new Option<string>("--train") { Description = "What trains: lora (adapters, saved apart too) or all.", DefaultValueFactory = _ => "lora" };
        train.AcceptOnlyFromAmong("lora", "all");
        var loraRank = Options.Positive(new Option<int>("--lora-rank") { Description = "Rank of the LoRA adapters.", DefaultValueFactory = _ => 16 });
        var epochs = Options.Positive(new Option<int>("--epochs") { Description = "Passes over the training examples.", DefaultValueFactory = _ => 1 });
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop after this many optimizer steps." };
        maxSteps.Validators.Add(r => { if (r.GetValueOrDefault<long?>() is < 1) r.AddError("--max-steps must be at least 1."); });
        var batchSize = Options.Positive(new Option<int>("--batch-size") { Description = "Examples per batch.", DefaultValueFactory = _ => 16 });
        var learningRate = new Option<double?>("--learning-rate", "--lr") { Description = "Peak learning rate. Default: 3e-3 with lora, 3e-4 with all." };
        learningRate.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is double lr && !(lr > 0)) r.AddError("--learning-rate must be positive."); });
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Share of a --data file held out for the validation loss, in [0, 1).", DefaultValueFactory = _ => 0.1 };
        validationFraction.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (>= 0 and < 1)) r.AddError("--validation-fraction must be in [0, 1)."); });
        var maxNewTokens = new Option<int?>("--max-new-tokens", "-n") { Description = "With --tuned: most tokens an answer. Default: the saved model's setting." };
        maxNewTokens.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--max-new-tokens must be at least 1."); });
        var seed = new Option<int>("--seed") { Description = "Seed of the sample, the split, the adapters and the data order.", DefaultValueFactory = _ => 1 };
        var output = new Option<string?>("--output", "-o") { Description = "Folder to write model.zip, adapter.safetensors (lora), report.json, history.csv and loss.png." };

        var command = new Command("instruct", "Instruction-tune a GPT (LoRA by default) on an instruction JSON file or the WordNet instructions and save it; or, with --tuned, answer instructions from standard input.");
        foreach (var option in new Option[] { data, wordNet, tuned, maxExamples, model, template, train, loraRank, epochs, maxSteps, batchSize, learningRate, validationFraction, maxNewTokens, seed, output })
            command.Add(option);
        command.Validators.Add(r =>
        {
            int modes = (r.GetValue(data) is null ? 0 : 1) + (r.GetValue(wordNet) ? 1 : 0) + (r.GetValue(tuned) is null ? 0 : 1);
            if (modes != 1)
                r.AddError("Give one of --data <file> or --wordnet (to train), or --tuned <model> (to answer).");
            else if (r.GetValue(tuned) is null && r.GetValue(output) is null)
                r.AddError("Training needs --output <folder> for the tuned model.");
            else if (r.GetValue(tuned) is not null && r.GetValue(output) is not null)
                r.AddError("--output is for training; --tuned answers from standard input and writes nothing.");
            if (r.GetValue(data) is { Exists: false } file)
                r.AddError($"The instruction file {file.FullName} does not exist.");
            if (r.GetValue(tuned) is string path && !File.Exists(path) && !File.Exists(Path.Combine(path, ModelFile)))
                r.AddError($"The tuned model {Path.GetFullPath(path)} does not exist: give a model.zip or the folder instruct wrote.");
        });

        CommandRunner.SetBody(command, console, async (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(tuned) is string saved)
                return await Answer(console, saved, parsed.GetValue(maxNewTokens), cancellationToken);

            int seedValue = parsed.GetValue(seed);
            var ml = new MLContext(seed: seedValue);
            bool lora = parsed.GetValue(train) == "lora";
            var (trainRows, validationRows, source) = parsed.GetValue(data) is { } file
                ? FromFile(ml, file.FullName, parsed.GetValue(validationFraction), seedValue)
                : FromWordNet(ml, seedValue);
            if (parsed.GetValue(maxExamples) is int most)
                trainRows = Sample(trainRows, most, seedValue);
            var trainSet = ml.Data.LoadFromEnumerable(trainRows);
            var validationSet = validationRows is null ? null : ml.Data.LoadFromEnumerable(validationRows);
            double rate = parsed.GetValue(learningRate) ?? (lora ? 3e-3 : 3e-4);
            DecoderModel.RequireGpt(ModelOption.PathOf(parsed, model), "instruction tuning", "our GPT checkpoints and Hugging Face GPT-2 folders");
            var options = new InstructionTuningOptions
            {
                BaseModelPath = ModelOption.PathOf(parsed, model),
                Template = GeneratorOption.ParseTemplate(parsed.GetValue(template)!),
                Parameters = lora ? InstructionParameters.LoRA : InstructionParameters.All,
                LoraRank = parsed.GetValue(loraRank),
                LoraAlpha = 2 * parsed.GetValue(loraRank),
                MaxEpochs = parsed.GetValue(epochs),
                MaxSteps = parsed.GetValue(maxSteps),
                BatchSize = parsed.GetValue(batchSize),
                LearningRate = rate,
                MinLearningRate = rate / 10,
                ValidationSet = validationSet,
                Seed = seedValue,
            };
            _ = ml.Transforms.Llm.FineTuneInstructions(options); // rejects bad options before the output folder is touched

            using var staged = StagedOutput.For(parsed.GetValue(output)!);
            using var instructions = TrainingProgressBar.Run(console, progress => ml.Transforms.Llm.FineTuneInstructions(options, progress, cancellationToken).Fit(trainSet), "instruction tuning");
            var report = instructions.Training!;
            ml.Model.Llm.Save(instructions, null, staged.File(ModelFile));
            if (report.Adapter is { } adapter)
            {
                adapter.Save(staged.Staging);
                staged.File(TorchSharp.Modeling.LoraAdapter.FileName);
            }
            InstructReport.Write(staged, source, options, report, Environment.GetCommandLineArgs());
            staged.Commit();
            var validation = report.ValidationLossBefore is { } before && report.ValidationLossAfter is { } after
                ? $"validation response loss {before:F3} -> {after:F3}; "
                : "";
            await console.Out.WriteLineAsync($"Tuned on {report.TrainingExamples} examples ({report.Truncated} truncated, {report.Skipped} skipped as too long); {validation}{report.TrainedParameters:N0} trained parameters in {report.Elapsed:hh\\:mm\\:ss}.");
            await console.Out.WriteLineAsync($"Wrote {ModelFile}{(report.Adapter is null ? "" : ", " + TorchSharp.Modeling.LoraAdapter.FileName)}, report.json, history.csv and loss.png to {staged.Folder}. Answer with: mlnetllm instruct --tuned {staged.Folder}");
            return 0;
        });
        return command;
    }

    /// <summary>Answers each line of standard input (an instruction, then a tab and its input when it has one).</summary>
    private static async Task<int> Answer(CliConsole console, string path, int? maxNewTokens, CancellationToken cancellationToken)
    {
        var file = File.Exists(path) ? Path.GetFullPath(path) : Path.Combine(Path.GetFullPath(path), ModelFile);
        var loaded = new MLContext(seed: 1).Model.Llm.Load(file, out _);
        if (loaded is IEnumerable<ITransformer> chain && chain.LastOrDefault() is InstructionTransformer last)
            loaded = last; // a pipeline that ends in the instruction model (ml.Model.Llm.Save wraps a lone transformer in a chain)
        if (loaded is not InstructionTransformer instructions)
        {
            (loaded as IDisposable)?.Dispose();
            throw new UsageException($"{file} holds a {loaded.GetType().Name}, not an instruction-tuned model (from instruct or FineTuneInstructions).");
        }
        using var owned = instructions;
        var generation = maxNewTokens is int n ? new GenerationOptions { Greedy = true, MaxNewTokens = n } : null;
        await foreach (var line in QueryLines.ReadAsync(console, "instruction> ", cancellationToken))
        {
            int tab = line.IndexOf('\t');
            var (instruction, input) = tab < 0 ? (line, (string?)null) : (line[..tab].Trim(), line[(tab + 1)..].Trim());
            if (instruction.Length == 0)
            {
                await console.Error.WriteLineAsync("error: the line has an input but no instruction before the tab; skipped.");
                continue;
            }
            await console.Out.WriteLineAsync($"response> {instructions.Answer(instruction, input, generation)}");
        }
        return 0;
    }

    private static (List<InstructionRecord> Train, List<InstructionRecord>? Validation, string Source) FromFile(MLContext ml, string path, double validationFraction, int seed)
    {
        var all = ml.Data.CreateEnumerable<InstructionRecord>(ml.Data.Llm.LoadInstructions(path), reuseRowObject: false).ToList();
        int held = (int)(all.Count * validationFraction);
        if (held == 0)
            return (all, null, $"{path} ({all.Count} examples, no validation part)");
        var shuffled = Sample(all, all.Count, seed);
        return (shuffled[held..], shuffled[..held], $"{path} ({all.Count} examples, {held} held out for validation)");
    }

    /// <summary>The WordNet instructions' training split, and 200 of its validation split (words unseen in training).</summary>
    private static (List<InstructionRecord> Train, List<InstructionRecord> Validation, string Source) FromWordNet(MLContext ml, int seed)
    {
        List<InstructionRecord> Split(string split) => [.. ml.Data.CreateEnumerable<WordNetInstruction>(ml.Data.Llm.LoadWordNetInstructions(split), reuseRowObject: false)
            .Select(r => new InstructionRecord { Instruction = r.Instruction, Input = r.Input, Output = r.Output })];
        var train = Split("train");
        return (train, Sample(Split("validation"), 200, seed), $"WordNet instructions (train split, {train.Count} examples; 200 of the validation split)");
    }

    /// <summary>A seeded sample of <paramref name="count"/> rows (all when there are fewer), in shuffled order.</summary>
    private static List<InstructionRecord> Sample(List<InstructionRecord> rows, int count, int seed)
    {
        var shuffled = rows.ToArray();
        new Random(seed).Shuffle(shuffled);
        return [.. shuffled.Take(count)];
    }
}
