using System.Diagnostics;
using System.Globalization;
using Microsoft.ML;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.Training;

/// <summary>
/// all-MiniLM-L6-v2 (the default base, from the MLNetLlm.Models package) fine-tuned into a spam classifier with
/// <c>mlContext.BinaryClassification.Trainers.Llm.FineTuneEncoder</c>: a two-output head on the mean of the real tokens'
/// states, every weight trained (or LoRA adapters), validation loss once an epoch with the best weights kept.
/// Writes the loss curves as PNG and CSV.
/// </summary>
internal static class FineTunedEncoder
{
    public static ModelResult Run(MLContext ml, string name, FineTuneParameters parameters, int epochs, double learningRate,
        MailSplit split, Settings settings, string curveName)
    {
        int stepsPerEpoch = (split.Train.Count + settings.EncoderBatchSize - 1) / settings.EncoderBatchSize;
        var options = new FineTuneEncoderOptions
        {
            LabelColumnName = nameof(Mail.Label),
            TextColumnName = nameof(Mail.Text),
            ValidationSet = ml.Data.LoadFromEnumerable(split.Validation),
            Seed = settings.Seed,
            ScoringBatchSize = 32,
            Progress = new ConsoleProgress(name),
            Training = new ClassifierTrainingOptions
            {
                Parameters = parameters,
                LoraRank = settings.LoraRank,
                LoraAlpha = 2.0 * settings.LoraRank,
                MaxEpochs = epochs,
                BatchSize = settings.EncoderBatchSize,
                LearningRate = learningRate,
                MinLearningRate = learningRate / 10,
                MaxSequenceLength = settings.EncoderMaxTokens,
                EvaluateEveryNSteps = stepsPerEpoch, // once an epoch: each evaluation reads every validation mail
                EarlyStoppingPatience = 2,
            },
        };
        var watch = Stopwatch.StartNew();
        using var model = ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(options).Fit(ml.Data.LoadFromEnumerable(split.Train));
        double seconds = watch.Elapsed.TotalSeconds;
        var report = model.Training!;
        Directory.CreateDirectory(settings.OutputDirectory);
        report.History.LossCurve.SavePlot(Path.Combine(settings.OutputDirectory, curveName + ".png"));
        report.History.WriteCsv(Path.Combine(settings.OutputDirectory, curveName + ".csv"));
        long examples = Math.Min((long)report.History.Records.Count * settings.EncoderBatchSize, (long)report.TrainingRows * epochs);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: {report.History.Records.Count} steps, stopped by {report.History.StopReason}, best validation loss " +
            $"{report.History.BestValidationLoss:F4}; {report.TruncatedRows} of {report.TrainingRows} training mails cut to {settings.EncoderMaxTokens} word pieces."));
        return ModelResult.Evaluate(ml, name, model, split.Test, seconds, examples);
    }

    /// <summary>Prints every 25th step and every evaluation.</summary>
    private sealed class ConsoleProgress(string name) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress p)
        {
            if (p.Step % 25 == 0 || p.ValidationLoss is not null || p.Step == p.TotalSteps)
                Console.WriteLine($"  {name}: {p}");
        }
    }
}
