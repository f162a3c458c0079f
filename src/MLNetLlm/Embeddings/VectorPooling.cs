using System.Numerics.Tensors;

namespace MLNetLlm.Embeddings;

/// <summary>Pooling and normalisation of token vectors laid out as a (batch, sequence, dimension) block, shared by the embedders.</summary>
public static class VectorPooling
{
    /// <summary>
    /// Pools the token vectors of row <paramref name="row"/> of <paramref name="hidden"/> (shape (batch, sequence,
    /// dimension), row-major) over its first <paramref name="length"/> positions, the real tokens (padding follows them).
    /// </summary>
    /// <returns>A new vector of <paramref name="dimension"/> floats; zeros when <paramref name="length"/> is 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The row or length is outside the block.</exception>
    public static float[] Pool(ReadOnlySpan<float> hidden, int sequence, int dimension, int row, int length, EmbeddingPooling pooling)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(length, sequence);
        var rowBlock = hidden.Slice(row * sequence * dimension, sequence * dimension); // (T, D)
        var pooled = new float[dimension];
        if (length == 0)
            return pooled;
        switch (pooling)
        {
            case EmbeddingPooling.Mean:
                for (int t = 0; t < length; t++)
                    TensorPrimitives.Add(pooled, rowBlock.Slice(t * dimension, dimension), pooled);
                TensorPrimitives.Divide(pooled, length, pooled);
                break;
            case EmbeddingPooling.LastToken:
                rowBlock.Slice((length - 1) * dimension, dimension).CopyTo(pooled);
                break;
            case EmbeddingPooling.FirstToken:
                rowBlock[..dimension].CopyTo(pooled);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(pooling), pooling, "Unknown pooling.");
        }
        return pooled;
    }

    /// <summary>Scales <paramref name="vector"/> in place to Euclidean length 1; a zero vector stays zero.</summary>
    public static void NormalizeL2(Span<float> vector)
    {
        float norm = TensorPrimitives.Norm(vector);
        if (norm > 0)
            TensorPrimitives.Divide(vector, norm, vector);
    }
}
