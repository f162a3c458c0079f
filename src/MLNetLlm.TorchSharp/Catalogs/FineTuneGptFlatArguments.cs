using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp;

/// <summary>The options the flat-argument <c>FineTuneGpt</c> overloads of both classification catalogs stand for.</summary>
internal static class FineTuneGptFlatArguments
{
    public static FineTuneGptOptions Options(string labelColumnName, string textColumnName, string? baseModelPath,
        FineTuneParameters parameters, int maxEpochs, int batchSize, double learningRate, IDataView? validationSet) => new()
    {
        LabelColumnName = labelColumnName,
        TextColumnName = textColumnName,
        BaseModelPath = baseModelPath,
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
