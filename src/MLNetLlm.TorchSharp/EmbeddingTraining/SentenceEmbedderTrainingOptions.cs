using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// The optimisation settings of contrastive sentence-embedder training (<c>TrainSentenceEmbedder</c>, <c>SetFit</c>):
/// the shared loop's settings with sentence-transformers' fine-tuning defaults.
/// </summary>
/// <remarks>
/// Defaults: <see cref="TrainingOptions.LearningRate"/> 2e-5 decaying to 0 (<see cref="TrainingOptions.MinLearningRate"/>),
/// <see cref="TrainingOptions.WeightDecay"/> 0.01 and <see cref="TrainingOptions.Beta2"/> 0.999 (sentence-transformers'
/// AdamW), <see cref="TrainingOptions.BatchSize"/> 16 pairs, one epoch, validation on the whole validation set
/// (<see cref="TrainingOptions.EvaluationBatches"/> null) and <see cref="TrainingOptions.RestoreBestWeights"/> on.
/// Every parameter of the encoder trains. Batches split the pairs evenly (a batch never holds a lone pair: for
/// MultipleNegativesRankingLoss it would have no negatives).
/// </remarks>
public sealed record SentenceEmbedderTrainingOptions : TrainingOptions
{
    /// <summary>Fine-tuning defaults (see the remarks).</summary>
    public SentenceEmbedderTrainingOptions()
    {
        LearningRate = 2e-5;
        MinLearningRate = 0;
        WeightDecay = 0.01;
        Beta2 = 0.999;
        BatchSize = 16;
        EvaluationBatches = null;
        RestoreBestWeights = true;
    }
}
