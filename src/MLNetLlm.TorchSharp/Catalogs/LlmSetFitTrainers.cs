using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;

namespace MLNetLlm.TorchSharp;

/// <summary>
/// SetFit on the classification catalogs: <c>mlContext.MulticlassClassification.Trainers.Llm.SetFit</c> and
/// <c>mlContext.BinaryClassification.Trainers.Llm.SetFit</c>, few-shot text classification by contrastive fine-tuning of
/// a sentence encoder and a logistic-regression head.
/// </summary>
public static class LlmSetFitTrainers
{
    extension(LlmMulticlassClassificationTrainers trainers)
    {
        /// <summary>
        /// SetFit for a key label (as <c>MapValueToKey</c> makes): fine-tunes a copy of the encoder (all-MiniLM-L6-v2 by
        /// default) with CosineSimilarityLoss on pairs generated from the labelled texts, then trains ML.NET's
        /// <c>LbfgsMaximumEntropy</c> on its embeddings. Adds the embedding column, <c>Score</c> and <c>PredictedLabel</c>,
        /// which <c>mlContext.MulticlassClassification.Evaluate</c> reads as they are. Made for a few examples per class
        /// (8 to 64): the pairs grow as 2 · <paramref name="pairIterations"/> · rows.
        /// </summary>
        /// <param name="labelColumnName">The key-typed label column.</param>
        /// <param name="textColumnName">The text column.</param>
        /// <param name="pairIterations">Rounds of pair generation (SetFit's num_iterations).</param>
        /// <param name="baseEncoder">An encoder to start from (copied); null for all-MiniLM-L6-v2.</param>
        /// <param name="maxEpochs">Passes over the pairs.</param>
        /// <param name="batchSize">Pairs per batch.</param>
        /// <param name="learningRate">Peak learning rate of the encoder.</param>
        /// <example><code>
        /// var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
        ///     .Append(ml.MulticlassClassification.Trainers.Llm.SetFit("Label", "Text"));
        /// var metrics = ml.MulticlassClassification.Evaluate(pipeline.Fit(fewShots).Transform(test));
        /// </code></example>
        public SetFitEstimator SetFit(string labelColumnName = "Label", string textColumnName = "Text", int pairIterations = 20,
            PretrainedEncoder? baseEncoder = null, int maxEpochs = 1, int batchSize = 16, double learningRate = 2e-5) =>
            trainers.SetFit(Flat(labelColumnName, textColumnName, pairIterations, baseEncoder, maxEpochs, batchSize, learningRate));

        /// <summary>SetFit for a key label, as <paramref name="options"/> say.</summary>
        /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
        public SetFitEstimator SetFit(SetFitOptions options) => new(trainers.Environment, options, binary: false);
    }

    extension(LlmBinaryClassificationTrainers trainers)
    {
        /// <summary>
        /// SetFit for a Boolean label: fine-tunes a copy of the encoder (all-MiniLM-L6-v2 by default) with
        /// CosineSimilarityLoss on pairs generated from the labelled texts, then trains ML.NET's
        /// <c>LbfgsLogisticRegression</c> on its embeddings. Adds the embedding column, <c>Score</c>, <c>Probability</c>
        /// and <c>PredictedLabel</c>, which <c>mlContext.BinaryClassification.Evaluate</c> reads as they are.
        /// </summary>
        /// <param name="labelColumnName">The Boolean label column.</param>
        /// <param name="textColumnName">The text column.</param>
        /// <param name="pairIterations">Rounds of pair generation (SetFit's num_iterations).</param>
        /// <param name="baseEncoder">An encoder to start from (copied); null for all-MiniLM-L6-v2.</param>
        /// <param name="maxEpochs">Passes over the pairs.</param>
        /// <param name="batchSize">Pairs per batch.</param>
        /// <param name="learningRate">Peak learning rate of the encoder.</param>
        public SetFitEstimator SetFit(string labelColumnName = "Label", string textColumnName = "Text", int pairIterations = 20,
            PretrainedEncoder? baseEncoder = null, int maxEpochs = 1, int batchSize = 16, double learningRate = 2e-5) =>
            trainers.SetFit(Flat(labelColumnName, textColumnName, pairIterations, baseEncoder, maxEpochs, batchSize, learningRate));

        /// <summary>SetFit for a Boolean label, as <paramref name="options"/> say.</summary>
        /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
        public SetFitEstimator SetFit(SetFitOptions options) => new(trainers.Environment, options, binary: true);
    }

    private static SetFitOptions Flat(string label, string text, int pairIterations, PretrainedEncoder? baseEncoder, int maxEpochs, int batchSize, double learningRate) => new()
    {
        LabelColumnName = label,
        TextColumnName = text,
        PairIterations = pairIterations,
        BaseEncoder = baseEncoder,
        Training = new SentenceEmbedderTrainingOptions { MaxEpochs = maxEpochs, BatchSize = batchSize, LearningRate = learningRate },
    };
}
