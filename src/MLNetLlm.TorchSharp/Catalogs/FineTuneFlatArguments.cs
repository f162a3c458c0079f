using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp;

/// <summary>The options the flat-argument <c>FineTuneGpt</c> and <c>FineTuneEncoder</c> overloads of both classification catalogs stand for.</summary>
internal static class FineTuneFlatArguments
{
    public static FineTuneGptOptions Gpt(string labelColumnName, string textColumnName, string? baseModelPath,
        FineTuneParameters parameters, int maxEpochs, int batchSize, double learningRate, IDataView? validationSet) =>
        Shared(new FineTuneGptOptions { BaseModelPath = baseModelPath }, labelColumnName, textColumnName, parameters, maxEpochs, batchSize, learningRate, validationSet);

    public static FineTuneEncoderOptions Encoder(string labelColumnName, string textColumnName, string? baseModelPath,
        FineTuneParameters parameters, int maxEpochs, int batchSize, double learningRate, IDataView? validationSet) =>
        Shared(new FineTuneEncoderOptions { BaseModelPath = baseModelPath }, labelColumnName, textColumnName, parameters, maxEpochs, batchSize, learningRate, validationSet);

    // The columns and optimisation settings both flat overloads take; cosine decay to a tenth of the peak.
    private static T Shared<T>(T options, string labelColumnName, string textColumnName, FineTuneParameters parameters, int maxEpochs,
        int batchSize, double learningRate, IDataView? validationSet) where T : FineTuneClassifierOptions => options with
    {
        LabelColumnName = labelColumnName,
        TextColumnName = textColumnName,
        ValidationSet = validationSet,
        Training = new ClassifierTrainingOptions
        {
            Parameters = parameters,
            MaxEpochs = maxEpochs,
            BatchSize = batchSize,
            LearningRate = learningRate,
            MinLearningRate = learningRate / 10,
        },
    };
}
