using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Embeddings;

/// <summary>
/// What the TorchSharp embedders (<see cref="PretrainedEncoder"/>, <see cref="GptTextEmbedder"/>) share: one batch of
/// windows through any <see cref="ITextBackbone"/>, pooled over the real tokens and optionally L2-normalised. The
/// windows themselves come from the core's <see cref="WindowedEmbedding"/>.
/// </summary>
internal static class BackboneEmbedding
{
    /// <summary>(B, T) ids and mask in, one pooled vector per row out; every tensor dies with the scope. A row
    /// without tokens gets the zero vector.</summary>
    public static float[][] Run(ITextBackbone backbone, TokenBatch batch, EmbeddingPooling pooling, bool normalize)
    {
        float[] flat;
        using (var scope = NewDisposeScope())
        using (no_grad())
        {
            backbone.Module.eval();
            var ids = tensor(batch.Ids, [batch.Count, batch.Sequence]).to(backbone.Device);  // (B, T)
            var mask = tensor(batch.Mask, [batch.Count, batch.Sequence]).to(backbone.Device); // (B, T)
            var hidden = backbone.ForwardHidden(ids, mask);                                   // (B, T, C)
            var pooled = BertPooling.Pool(hidden, mask, pooling);                             // (B, C)
            if (normalize) pooled = BertPooling.NormalizeL2(pooled);
            flat = pooled.to(ScalarType.Float32).cpu().data<float>().ToArray();
        }
        int dimension = backbone.HiddenSize;
        var vectors = new float[batch.Count][];
        for (int row = 0; row < batch.Count; row++)
            vectors[row] = batch.Lengths[row] == 0 ? new float[dimension] : flat.AsSpan(row * dimension, dimension).ToArray();
        return vectors;
    }
}
