using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp;

/// <summary>The options the flat-argument <c>FineTuneGpt</c> and <c>FineTuneEncoder</c> overloads of both classification catalogs stand for.</summary>
internal static class FineTuneFlatArguments
{
    public static FineTuneGptOptions Gpt(string labelColumnName, string textColumnName, string? baseModelPath,
        FineTuneParameters parameters, int maxEpochs, int batchSize, double learningRate, IDataView? validationSet) => new()
    {
        LabelColumnName = labelColumnName,
        TextColumnName = textColumnName,
        BaseModelPath = baseModelPath,
        ValidationSet = validationSet,
        Training = Training(parameters, maxEpochs, batchSize, learningRate),
    };

    public static FineTuneEncoderOptions Encoder(string labelColumnName, string textColumnName, string? baseModelPath,
        FineTuneParameters parameters, int maxEpochs, int batchSize, double learningRate, IDataView? validationSet) => new()
    {
        LabelColumnName = labelColumnName,
        TextColumnName = textColumnName,
        BaseModelPath = baseModelPath,
        ValidationSet = validationSet,
        Training = Training(parameters, maxEpochs, batchSize, learningRate),
    };

    private static ClassifierTrainingOptions Training(FineTuneParameters parameters, int maxEpochs, int batchSize, double learningRate) => new()
    {
        Parameters = parameters,
        MaxEpochs = maxEpochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
        MinLearningRate = learningRate / 10,
    };
}
