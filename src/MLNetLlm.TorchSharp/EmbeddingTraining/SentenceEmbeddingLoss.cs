namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>What contrastive training of a sentence embedder minimises (as sentence-transformers defines each).</summary>
public enum SentenceEmbeddingLoss
{
    /// <summary>
    /// MultipleNegativesRankingLoss: for each anchor of a batch, the cosine similarities (times
    /// <see cref="TrainSentenceEmbedderOptions.Scale"/>, 20) to every positive of the batch and every hard negative form
    /// the logits of a cross-entropy whose right answer is its own positive. The other pairs' positives are the
    /// negatives, so a batch needs at least two pairs (or hard negatives). Needs only (anchor, positive) pairs.
    /// </summary>
    MultipleNegativesRanking,

    /// <summary>
    /// CosineSimilarityLoss: the mean squared difference between the cosine similarity of the two texts of a pair and
    /// its target (1 for similar, 0 for dissimilar, or any score in [-1, 1]). SetFit's loss.
    /// </summary>
    CosineSimilarity,
}
