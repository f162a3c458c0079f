using Microsoft.ML;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;

/// <summary>
/// all-MiniLM-L6-v2 (the default base, from the MLNetLlm.Models package) fine-tuned into a spam classifier with
/// <c>mlContext.BinaryClassification.Trainers.Llm.FineTuneEncoder</c>: a two-output head on the mean of the real tokens'
/// states, every weight trained (or LoRA adapters).
/// </summary>
internal static class FineTunedEncoder
{
    public static ModelResult Run(MLContext ml, string name, FineTuneParameters parameters, int epochs, double learningRate,
        MailSplit split, Settings settings, string curveName)
    {
        var training = FineTuned.Training(parameters, epochs, settings.EncoderBatchSize, learningRate, settings.EncoderMaxTokens, split, settings);
        var options = new FineTuneEncoderOptions
        {
            LabelColumnName = nameof(Mail.Label),
            TextColumnName = nameof(Mail.Text),
            ValidationSet = ml.Data.LoadFromEnumerable(split.Validation),
            Seed = settings.Seed,
            ScoringBatchSize = 32,
            Progress = new FineTuned.ConsoleProgress(name, every: 25),
            Training = training,
        };
        return FineTuned.Run(ml, name, ml.BinaryClassification.Trainers.Llm.FineTuneEncoder(options), training, "word pieces", split, settings, curveName);
    }
}
