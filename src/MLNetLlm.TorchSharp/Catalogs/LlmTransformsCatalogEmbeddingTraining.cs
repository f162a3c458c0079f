using MLNetLlm.TorchSharp.EmbeddingTraining;
using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp;

/// <summary>
/// Contrastive training of sentence embedders on <c>mlContext.Transforms.Llm</c>: <c>TrainSentenceEmbedder</c> adapts a
/// BERT-family encoder (all-MiniLM-L6-v2 by default) to your pairs or labels and embeds with it.
/// </summary>
public static class LlmTransformsCatalogEmbeddingTraining
{
    extension(LlmTransformsCatalog catalog)
    {
        /// <summary>
        /// Trains a sentence embedder on (anchor, positive) text pairs when fitted, with MultipleNegativesRankingLoss by
        /// default (each anchor must find its own positive among all positives of its batch, and any hard negatives), and
        /// then embeds <paramref name="anchorColumnName"/> into <paramref name="outputColumnName"/> with the trained
        /// encoder. The base encoder (all-MiniLM-L6-v2 unless <paramref name="baseEncoder"/> is given) is copied and left
        /// unchanged.
        /// </summary>
        /// <param name="outputColumnName">The vector column the fitted transformer writes.</param>
        /// <param name="anchorColumnName">The anchor text column (query, first sentence); also the column embedded.</param>
        /// <param name="positiveColumnName">The positive text column (answer, paraphrase).</param>
        /// <param name="negativeColumnName">An optional hard-negative text column.</param>
        /// <param name="loss">The loss; CosineSimilarity needs the negative column here (targets 1 and 0), or a target column through the options.</param>
        /// <param name="baseEncoder">An encoder to start from (copied), such as <see cref="PretrainedEncoders.ArcticEmbedXs"/>; null for all-MiniLM-L6-v2.</param>
        /// <param name="maxEpochs">Passes over the pairs.</param>
        /// <param name="batchSize">Pairs per batch (more in-batch negatives with larger batches).</param>
        /// <param name="learningRate">Peak learning rate (after warmup; cosine decay to 0).</param>
        /// <param name="validationSet">Pairs for the validation loss (the best weights are kept); null for none.</param>
        /// <example><code>
        /// var embedder = ml.Transforms.Llm.TrainSentenceEmbedder("Embedding", "Question", "Answer").Fit(pairs);
        /// embedder.ExportToOnnx("embedder.onnx");
        /// </code></example>
        public TrainSentenceEmbedderEstimator TrainSentenceEmbedder(string outputColumnName = "Embedding", string anchorColumnName = "Anchor",
            string positiveColumnName = "Positive", string? negativeColumnName = null, SentenceEmbeddingLoss loss = SentenceEmbeddingLoss.MultipleNegativesRanking,
            PretrainedEncoder? baseEncoder = null, int maxEpochs = 1, int batchSize = 16, double learningRate = 2e-5, IDataView? validationSet = null) =>
            catalog.TrainSentenceEmbedder(new TrainSentenceEmbedderOptions
            {
                OutputColumnName = outputColumnName,
                AnchorColumnName = anchorColumnName,
                PositiveColumnName = positiveColumnName,
                NegativeColumnName = negativeColumnName,
                Loss = loss,
                BaseEncoder = baseEncoder,
                ValidationSet = validationSet,
                Training = new SentenceEmbedderTrainingOptions { MaxEpochs = maxEpochs, BatchSize = batchSize, LearningRate = learningRate },
            });

        /// <summary>
        /// Trains a sentence embedder on labelled texts when fitted: pairs are generated from the labels (texts of one
        /// class are positives, of another negatives; SetFit's scheme, <paramref name="pairIterations"/> rounds), trained
        /// with CosineSimilarityLoss by default, and the fitted transformer embeds <paramref name="textColumnName"/>.
        /// </summary>
        /// <param name="outputColumnName">The vector column the fitted transformer writes.</param>
        /// <param name="textColumnName">The text column; also the column embedded.</param>
        /// <param name="labelColumnName">The label column: key, text, Boolean or integer; at least two classes.</param>
        /// <param name="loss">The loss; MultipleNegativesRanking trains on (text, same class, other class) triples.</param>
        /// <param name="pairIterations">Rounds of pair generation: each round gives each text one positive and one negative.</param>
        /// <param name="baseEncoder">An encoder to start from (copied); null for all-MiniLM-L6-v2.</param>
        /// <param name="maxEpochs">Passes over the pairs.</param>
        /// <param name="batchSize">Pairs per batch.</param>
        /// <param name="learningRate">Peak learning rate (after warmup; cosine decay to 0).</param>
        public TrainSentenceEmbedderEstimator TrainSentenceEmbedderFromLabels(string outputColumnName = "Embedding", string textColumnName = "Text",
            string labelColumnName = "Label", SentenceEmbeddingLoss loss = SentenceEmbeddingLoss.CosineSimilarity, int pairIterations = 20,
            PretrainedEncoder? baseEncoder = null, int maxEpochs = 1, int batchSize = 16, double learningRate = 2e-5) =>
            catalog.TrainSentenceEmbedder(new TrainSentenceEmbedderOptions
            {
                OutputColumnName = outputColumnName,
                TextColumnName = textColumnName,
                LabelColumnName = labelColumnName,
                Loss = loss,
                PairIterations = pairIterations,
                BaseEncoder = baseEncoder,
                Training = new SentenceEmbedderTrainingOptions { MaxEpochs = maxEpochs, BatchSize = batchSize, LearningRate = learningRate },
            });

        /// <summary>Trains a sentence embedder as <paramref name="options"/> say: pairs or labelled texts, loss, base encoder, validation, progress.</summary>
        /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
        public TrainSentenceEmbedderEstimator TrainSentenceEmbedder(TrainSentenceEmbedderOptions options) => new(catalog.Environment, options);
    }
}
