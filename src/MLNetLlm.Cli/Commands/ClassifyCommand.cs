using System.CommandLine;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Cli.Input;
using MLNetLlm.Cli.Output;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm classify</c>: fine-tunes a GPT or encoder classifier on a labelled table, holds out a validation part,
/// evaluates it with ML.NET's multiclass metrics (beside FeaturizeText + SDCA with <c>--compare</c>), and writes the
/// pipeline (.zip), its ONNX export, the loss curve and a report.
/// </summary>
internal static class ClassifyCommand
{
    private static readonly Dictionary<string, FineTuneParameters> TrainChoices = new(StringComparer.Ordinal)
    {
        ["head"] = FineTuneParameters.Head,
        ["last-blocks"] = FineTuneParameters.LastBlocks,
        ["all"] = FineTuneParameters.All,
        ["lora"] = FineTuneParameters.LoRA,
    };

    public static Command Create(CliConsole console)
    {
        var input = new TextInput(allowFolders: false, withLabel: true);
        var backbone = new Option<string>("--backbone") { Description = "gpt (FineTuneGpt) or encoder (FineTuneEncoder).", DefaultValueFactory = _ => "gpt" };
        backbone.AcceptOnlyFromAmong("gpt", "encoder");
        var baseModel = new Option<string?>("--base-model") { Description = "gpt: a model folder (ours, a Hugging Face GPT-2 folder or a Hugging Face Llama-family folder: llama, qwen2, qwen3), default the shipped brown-gpt. encoder: a Hugging Face BERT folder or an ONNX file with vocab.txt beside it, default the bundled all-MiniLM-L6-v2." };
        baseModel.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is string path && !Directory.Exists(path) && !File.Exists(path))
                r.AddError($"The base model {Path.GetFullPath(path)} does not exist.");
        });
        var train = new Option<string?>("--train") { Description = "What trains: head, last-blocks, all or lora. Default: last-blocks for gpt, all for encoder." };
        train.AcceptOnlyFromAmong([.. TrainChoices.Keys]);
        var loraRank = Options.Positive(new Option<int>("--lora-rank") { Description = "Rank of the LoRA adapters (with --train lora).", DefaultValueFactory = _ => 8 });
        var epochs = new Option<int?>("--epochs") { Description = "Passes over the training rows. Default: 3 for gpt, 2 for encoder." };
        epochs.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--epochs must be at least 1."); });
        var maxSteps = new Option<long?>("--max-steps") { Description = "Stop after this many optimizer steps." };
        maxSteps.Validators.Add(r => { if (r.GetValueOrDefault<long?>() is < 1) r.AddError("--max-steps must be at least 1."); });
        var batchSize = Options.Positive(new Option<int>("--batch-size") { Description = "Texts per batch.", DefaultValueFactory = _ => 8 });
        var learningRate = new Option<double?>("--learning-rate", "--lr") { Description = "Peak learning rate. Default: 1e-4 for gpt, 5e-5 for encoder (1e-3 with lora)." };
        learningRate.Validators.Add(r => { if (r.GetValueOrDefault<double?>() is double lr && !(lr > 0)) r.AddError("--learning-rate must be positive."); });
        var maxLength = new Option<int?>("--max-length") { Description = "Tokens a text keeps (its first ones). Default: the model's context." };
        maxLength.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 2) r.AddError("--max-length must be at least 2."); });
        var balance = new Option<bool>("--balance-classes") { Description = "Weigh classes by n / (classes * count) in the loss, for imbalanced labels." };
        var validationFraction = new Option<double>("--validation-fraction") { Description = "Share of rows held out for evaluation, in (0, 1).", DefaultValueFactory = _ => 0.2 };
        validationFraction.Validators.Add(r => { if (r.GetValueOrDefault<double>() is not (> 0 and < 1)) r.AddError("--validation-fraction must be strictly between 0 and 1."); });
        var compare = new Option<bool>("--compare") { Description = "Also train ML.NET's FeaturizeText + SDCA on the same split and print both." };
        var seed = new Option<int>("--seed") { Description = "Seed of the split, the head's initial weights and the data order.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output", "-o") { Description = "Folder to write model.zip, model.onnx, report.md, report.json, history.csv and loss.png.", Required = true };

        var command = new Command("classify", "Fine-tune a text classifier (GPT or encoder, LoRA or not) on a labelled table, evaluate it and save the pipeline and its ONNX export.");
        input.AddTo(command);
        foreach (var option in new Option[] { backbone, baseModel, train, loraRank, epochs, maxSteps, batchSize, learningRate, maxLength, balance, validationFraction, compare, seed, output })
            command.Add(option);
        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            var rows = input.Read(parsed);
            bool gpt = parsed.GetValue(backbone) == "gpt";
            var parameters = parsed.GetValue(train) is string t ? TrainChoices[t] : gpt ? FineTuneParameters.LastBlocks : FineTuneParameters.All;
            var training = new ClassifierTrainingOptions
            {
                Parameters = parameters,
                LoraRank = parsed.GetValue(loraRank),
                MaxEpochs = parsed.GetValue(epochs) ?? (gpt ? 3 : 2),
                MaxSteps = parsed.GetValue(maxSteps),
                BatchSize = parsed.GetValue(batchSize),
                LearningRate = parsed.GetValue(learningRate) ?? (parameters == FineTuneParameters.LoRA ? 1e-3 : gpt ? 1e-4 : 5e-5),
                MaxSequenceLength = parsed.GetValue(maxLength),
            };
            training = training with { MinLearningRate = training.LearningRate / 10 };
            int seedValue = parsed.GetValue(seed);
            string? basePath = parsed.GetValue(baseModel) is string b ? Path.GetFullPath(b) : null;
            FineTuneClassifierOptions options = gpt
                ? new FineTuneGptOptions { BaseModelPath = basePath }
                : new FineTuneEncoderOptions { BaseModelPath = basePath };
            options = options with
            {
                LabelColumnName = rows.LabelColumn!,
                TextColumnName = rows.TextColumn,
                BalanceClasses = parsed.GetValue(balance),
                Training = training,
                Seed = seedValue,
                CancellationToken = cancellationToken,
            };
            options.Validate();

            var ml = new MLContext(seed: seedValue);
            var split = ml.Data.TrainTestSplit(rows.ToDataView(ml), parsed.GetValue(validationFraction), seed: seedValue);
            var trainRows = split.TrainSet.GetColumn<string>(rows.LabelColumn).ToList();
            var heldOut = split.TestSet.GetColumn<string>(rows.LabelColumn).Count();
            if (heldOut == 0 || trainRows.Count == 0)
                throw new UsageException($"{rows.Count} rows are too few to hold out {parsed.GetValue(validationFraction):P0} and train on the rest.");
            if (trainRows.Distinct().Count() < 2)
                throw new UsageException($"The training rows have one label only ('{trainRows[0]}' in --label-col {rows.LabelColumn}): a classifier needs two or more.");

            using var staged = StagedOutput.For(parsed.GetValue(output)!);
            var labelKeys = ml.Transforms.Conversion.MapValueToKey(rows.LabelColumn).Fit(split.TrainSet);
            var keyedTrain = labelKeys.Transform(split.TrainSet);
            using var classifier = TrainingProgressBar.Run(console, progress => Trainer(ml, options with { Progress = progress }).Fit(keyedTrain), "fine-tuning");

            var metrics = ml.MulticlassClassification.Evaluate(classifier.Transform(labelKeys.Transform(split.TestSet)), rows.LabelColumn);
            var baseline = parsed.GetValue(compare) ? FeaturizeTextSdca(ml, rows, split) : null;

            var scoring = new TransformerChain<ITransformer>(classifier, ml.Transforms.Conversion.MapKeyToValue("PredictedLabel").Fit(classifier.Transform(keyedTrain)));
            var textOnly = (rows with { LabelColumn = null }).ToDataView(ml, []);
            ml.Model.Llm.Save(scoring, textOnly.Schema, staged.File("model.zip"));
            ml.Model.Llm.ExportOnnx(classifier, staged.File("model.onnx"));
            var report = new ClassifyReport(rows, gpt ? "gpt" : "encoder", basePath ?? (gpt ? "shipped brown-gpt" : "bundled all-MiniLM-L6-v2"), parameters,
                classifier, metrics, baseline, Environment.GetCommandLineArgs());
            report.Write(staged);
            staged.Commit();
            report.WriteSummary(console.Out);
            console.Out.WriteLine($"Wrote model.zip, model.onnx, report.md, report.json, history.csv and loss.png to {staged.Folder}.");
            return Task.FromResult(0);
        });
        return command;
    }

    private static FineTuneClassifierEstimator Trainer(MLContext ml, FineTuneClassifierOptions options) => options switch
    {
        FineTuneGptOptions gpt => ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(gpt),
        FineTuneEncoderOptions encoder => ml.MulticlassClassification.Trainers.Llm.FineTuneEncoder(encoder),
        _ => throw new ArgumentOutOfRangeException(nameof(options)),
    };

    /// <summary>ML.NET's own text classifier on the same split: FeaturizeText + SdcaMaximumEntropy.</summary>
    private static MulticlassClassificationMetrics FeaturizeTextSdca(MLContext ml, TextRows rows, DataOperationsCatalog.TrainTestData split)
    {
        const string features = "__Features";
        var model = ml.Transforms.Conversion.MapValueToKey(rows.LabelColumn)
            .Append(ml.Transforms.Text.FeaturizeText(features, rows.TextColumn))
            .Append(ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(rows.LabelColumn, features))
            .Fit(split.TrainSet);
        return ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet), rows.LabelColumn);
    }
}
