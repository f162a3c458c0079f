using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>The two contrastive losses on pooled sentence embeddings, written as sentence-transformers computes them.</summary>
internal static class ContrastiveLosses
{
    /// <summary>
    /// MultipleNegativesRankingLoss: <c>cross_entropy(scale · cos_sim(anchors, candidates), arange(B))</c>, where the
    /// candidates are the B positives followed by any hard negatives, so row i's right answer is column i.
    /// </summary>
    /// <param name="anchors">(B, C) pooled anchors.</param>
    /// <param name="candidates">(B + N, C): the B positives in anchor order, then N hard negatives.</param>
    /// <param name="scale">The inverse temperature (sentence-transformers' default 20).</param>
    public static Tensor MultipleNegativesRanking(Tensor anchors, Tensor candidates, double scale)
    {
        using var scope = NewDisposeScope();
        var scores = CosineMatrix(anchors, candidates) * scale;                  // (B, B + N)
        var labels = arange(anchors.shape[0], dtype: ScalarType.Int64, device: anchors.device); // (B)
        return functional.cross_entropy(scores, labels).MoveToOuterDisposeScope();
    }

    /// <summary>CosineSimilarityLoss: <c>mean((cos(a_i, b_i) − target_i)²)</c>.</summary>
    /// <param name="first">(B, C) pooled first texts.</param>
    /// <param name="second">(B, C) pooled second texts.</param>
    /// <param name="targets">(B) target similarities.</param>
    public static Tensor CosineSimilarity(Tensor first, Tensor second, Tensor targets)
    {
        using var scope = NewDisposeScope();
        var cosine = functional.cosine_similarity(first, second, dim: 1);        // (B)
        return functional.mse_loss(cosine, targets.to(cosine.dtype, cosine.device)).MoveToOuterDisposeScope();
    }

    // sentence-transformers' cos_sim: each row scaled to length 1 (eps 1e-12), then every pair's dot product.
    private static Tensor CosineMatrix(Tensor a, Tensor b)
    {
        var left = functional.normalize(a, p: 2, dim: 1, eps: 1e-12);  // (B, C)
        var right = functional.normalize(b, p: 2, dim: 1, eps: 1e-12); // (M, C)
        return left.mm(right.t());                                      // (B, M)
    }
}
