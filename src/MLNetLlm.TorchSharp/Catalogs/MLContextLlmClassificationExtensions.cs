using MLNetLlm.Kit;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp;

/// <summary>
/// The MLNetLlm trainers on ML.NET's classification catalogs: <c>mlContext.MulticlassClassification.Trainers.Llm</c>
/// and <c>mlContext.BinaryClassification.Trainers.Llm</c>.
/// </summary>
public static class MLContextLlmClassificationExtensions
{
    extension(MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog)
    {
        /// <summary>The MLNetLlm multiclass trainers: GPT fine-tuning.</summary>
        public LlmMulticlassClassificationTrainers Llm => new(MLNetInternals.GetEnvironment(catalog));
    }

    extension(BinaryClassificationCatalog.BinaryClassificationTrainers catalog)
    {
        /// <summary>The MLNetLlm binary trainers: GPT fine-tuning.</summary>
        public LlmBinaryClassificationTrainers Llm => new(MLNetInternals.GetEnvironment(catalog));
    }
}
