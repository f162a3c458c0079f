namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>One training example: texts by index into <see cref="ContrastivePairs.Texts"/>.</summary>
/// <param name="Anchor">The anchor (or first) text.</param>
/// <param name="Positive">The positive (or second) text.</param>
/// <param name="Negative">A hard negative for MultipleNegativesRankingLoss; -1 for none.</param>
/// <param name="Target">The target cosine similarity for CosineSimilarityLoss.</param>
internal readonly record struct ContrastivePair(int Anchor, int Positive, int Negative, float Target);

/// <summary>
/// Training pairs over a table of distinct tokenized texts: pairs generated from labels repeat each text many times,
/// so each text is tokenized once and pairs hold indices.
/// </summary>
/// <param name="Texts">Each distinct text's token ids, cut to the encoder's length.</param>
/// <param name="Pairs">The pairs in data (or generation) order.</param>
/// <param name="HasNegatives">Whether every pair has a hard negative.</param>
internal sealed record ContrastivePairs(IReadOnlyList<int[]> Texts, IReadOnlyList<ContrastivePair> Pairs, bool HasNegatives)
{
    /// <summary>Rows of one side of a batch: the texts' ids.</summary>
    public IReadOnlyList<int[]> Select(IEnumerable<int> indices) => [.. indices.Select(i => Texts[i])];
}
