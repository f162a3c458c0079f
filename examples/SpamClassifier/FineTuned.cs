using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.Training;

/// <summary>
/// What every fine-tuned row shares, GPT or encoder: the training options (validation loss once an epoch, best weights
/// kept, early stopping after two worse evaluations), the fit, the loss curves as PNG and CSV, and the evaluation.
/// </summary>
internal static class FineTuned
{
    public static ClassifierTrainingOptions Training(FineTuneParameters parameters, int epochs, int batchSize, double learningRate,
        int maxTokens, MailSplit split, Settings settings) => new()
    {
        Parameters = parameters,
        TrainableBlocks = 1,
        LoraRank = settings.LoraRank,
        LoraAlpha = 2.0 * settings.LoraRank,
        MaxEpochs = epochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
        MinLearningRate = learningRate / 10,
        MaxSequenceLength = maxTokens,
        EvaluateEveryNSteps = (split.Train.Count + batchSize - 1) / batchSize, // once an epoch: each evaluation reads every validation mail
        EarlyStoppingPatience = 2,
    };

    /// <summary>Fits <paramref name="trainer"/> on the training mails and evaluates it on the test mails.</summary>
    /// <param name="tokenUnit">What the model's tokens are called in the log ("tokens", "word pieces").</param>
    public static ModelResult Run(MLContext ml, string name, FineTuneClassifierEstimator trainer, ClassifierTrainingOptions training,
        string tokenUnit, MailSplit split, Settings settings, string curveName)
    {
        var watch = Stopwatch.StartNew();
        using var model = trainer.Fit(ml.Data.LoadFromEnumerable(split.Train));
        double seconds = watch.Elapsed.TotalSeconds;
        var report = model.Training!;
        Directory.CreateDirectory(settings.OutputDirectory);
        report.History.LossCurve.SavePlot(Path.Combine(settings.OutputDirectory, curveName + ".png"));
        report.History.WriteCsv(Path.Combine(settings.OutputDirectory, curveName + ".csv"));
        // The mails the optimizer read: full batches of every step (the last batch of an epoch may be short).
        long examples = Math.Min((long)report.History.Records.Count * training.BatchSize, (long)report.TrainingRows * training.MaxEpochs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {report.History.Records.Count} steps, stopped by {report.History.StopReason}, best validation loss " +
            $"{report.History.BestValidationLoss:F4}; {report.TruncatedRows} of {report.TrainingRows} training mails cut to {training.MaxSequenceLength} {tokenUnit}."));
        return ModelResult.Evaluate(ml, name, model, split.Test, seconds, examples);
    }

    /// <summary>Prints every <paramref name="every"/>th step and every evaluation.</summary>
    public sealed class ConsoleProgress(string name, int every) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.Step % every == 0 || p.ValidationLoss is not null || p.Step == p.TotalSteps)
                Console.WriteLine($"  {name}: {p}");
        }
    }
}
