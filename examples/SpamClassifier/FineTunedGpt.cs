using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.Training;

/// <summary>
/// A GPT fine-tuned into a spam classifier with <c>mlContext.BinaryClassification.Trainers.Llm.FineTuneGpt</c>:
/// a two-output head on the pooled token states (mean or last real token), trained on the training mails with early stopping on the
/// validation mails' loss (the best weights are kept). Writes the loss curves as PNG and CSV.
/// </summary>
internal static class FineTunedGpt
{
    public static ModelResult Run(MLContext ml, string name, string? baseModelPath, FineTuneParameters parameters,
        MailSplit split, Settings settings, string curveName)
    {
        int stepsPerEpoch = (split.Train.Count + settings.BatchSize - 1) / settings.BatchSize;
        var options = new FineTuneGptOptions
        {
            LabelColumnName = nameof(Mail.Label),
            TextColumnName = nameof(Mail.Text),
            BaseModelPath = baseModelPath,
            ValidationSet = ml.Data.LoadFromEnumerable(split.Validation),
            Pooling = settings.Pooling,
            Seed = settings.Seed,
            ScoringBatchSize = 32,
            Progress = new ConsoleProgress(name),
            Training = new ClassifierTrainingOptions
            {
                Parameters = parameters,
                TrainableBlocks = 1,
                LoraRank = settings.LoraRank,
                LoraAlpha = 2.0 * settings.LoraRank,
                MaxEpochs = settings.Epochs,
                BatchSize = settings.BatchSize,
                LearningRate = settings.LearningRate,
                MinLearningRate = settings.LearningRate / 10,
                MaxSequenceLength = settings.MaxTokens,
                EvaluateEveryNSteps = stepsPerEpoch, // once an epoch: each evaluation reads every validation mail
                EarlyStoppingPatience = 2,
            },
        };
        var watch = Stopwatch.StartNew();
        using var model = ml.BinaryClassification.Trainers.Llm.FineTuneGpt(options).Fit(ml.Data.LoadFromEnumerable(split.Train));
        double seconds = watch.Elapsed.TotalSeconds;
        var report = model.Training!;
        Directory.CreateDirectory(settings.OutputDirectory);
        report.History.LossCurve.SavePlot(Path.Combine(settings.OutputDirectory, curveName + ".png"));
        report.History.WriteCsv(Path.Combine(settings.OutputDirectory, curveName + ".csv"));
        // The mails the optimizer read: full batches of every step (the last batch of an epoch may be short).
        long examples = Math.Min((long)report.History.Records.Count * settings.BatchSize, (long)report.TrainingRows * settings.Epochs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {report.History.Records.Count} steps, stopped by {report.History.StopReason}, best validation loss " +
            $"{report.History.BestValidationLoss:F4}; {report.TruncatedRows} of {report.TrainingRows} training mails cut to {settings.MaxTokens} tokens."));
        return ModelResult.Evaluate(ml, name, model, split.Test, seconds, examples);
    }

    /// <summary>The GPT-2 folder to use, or null with the reason it is skipped.</summary>
    public static (string? Folder, string Reason) FindGpt2(Settings settings)
    {
        string folder = settings.Gpt2Directory
            ?? Environment.GetEnvironmentVariable("MLNETLLM_GPT2_DIR")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "mlnetllm", "gpt2");
        string[] needed = ["config.json", "vocab.json", "merges.txt"];
        var missing = needed.Where(f => !File.Exists(Path.Combine(folder, f))).ToList();
        if (!File.Exists(Path.Combine(folder, "model.safetensors")) && !File.Exists(Path.Combine(folder, "model.safetensors.index.json")))
            missing.Add("model.safetensors");
        return missing.Count == 0
            ? (folder, "")
            : (null, $"GPT-2 small skipped: no Hugging Face GPT-2 folder at {folder} ({string.Join(", ", missing)} missing). " +
                "Put one there, or pass --gpt2 DIR or set MLNETLLM_GPT2_DIR; nothing is downloaded.");
    }

    /// <summary>Prints every tenth step and every evaluation.</summary>
    private sealed class ConsoleProgress(string name) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.Step % 10 == 0 || p.ValidationLoss is not null || p.Step == p.TotalSteps)
                Console.WriteLine($"  {name}: {p}");
        }
    }
}
