using System.Numerics.Tensors;

namespace MLNetLlm.Embeddings;

/// <summary>
/// What every MLNetLlm embedder does with a batch of encoded texts: split each into windows (<see cref="TokenWindows"/>),
/// run all windows of the batch together, sorted into groups of similar length (<see cref="TokenBatch.GroupByLength"/>)
/// so little padding is computed, and pool each text's window vectors.
/// </summary>
public static class WindowedEmbedding
{
    /// <summary>
    /// One vector per encoded text, in order. A text of one window gets that window's vector untouched; a text of
    /// several gets their (length-weighted) mean, scaled to length 1 when <paramref name="normalize"/>.
    /// </summary>
    /// <param name="encoded">Each text's ids as its tokenizer encoded them (framing included).</param>
    /// <param name="framing">What the tokenizer puts around a text.</param>
    /// <param name="windowTokens">The model's window, framing included.</param>
    /// <param name="options">How long texts are read.</param>
    /// <param name="normalize">Whether the embedder gives unit vectors, so a pooled vector is scaled to length 1 again.</param>
    /// <param name="rowsPerCall">The most windows one call of <paramref name="embedWindows"/> takes (a bound on the model's memory).</param>
    /// <param name="embedWindows">Embeds windows of ids (each at most <paramref name="windowTokens"/> long, all in one batch): one vector per window, in order.</param>
    /// <exception cref="ArgumentException"><paramref name="windowTokens"/> leaves no room for text inside the framing.</exception>
    public static float[][] Embed(IReadOnlyList<IReadOnlyList<int>> encoded, TokenFraming framing, int windowTokens, LongTextOptions options,
        bool normalize, int rowsPerCall, Func<IReadOnlyList<IReadOnlyList<int>>, float[][]> embedWindows)
    {
        ArgumentNullException.ThrowIfNull(encoded);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(embedWindows);
        ArgumentOutOfRangeException.ThrowIfLessThan(rowsPerCall, 1);
        options.Validate();

        var windows = new List<TokenWindow>(encoded.Count);
        var firstWindow = new int[encoded.Count + 1]; // text i owns windows [firstWindow[i], firstWindow[i + 1])
        for (int i = 0; i < encoded.Count; i++)
        {
            firstWindow[i] = windows.Count;
            windows.AddRange(TokenWindows.Split(encoded[i], framing, windowTokens, options));
        }
        firstWindow[^1] = windows.Count;

        var ids = windows.Select(w => w.Ids).ToArray();
        var windowVectors = new float[ids.Length][];
        foreach (var group in TokenBatch.GroupByLength(ids))
            foreach (var call in group.Chunk(rowsPerCall))
            {
                var vectors = embedWindows([.. call.Select(i => ids[i])]);
                if (vectors.Length != call.Length)
                    throw new InvalidOperationException($"The embedder returned {vectors.Length} vectors for {call.Length} windows.");
                for (int k = 0; k < call.Length; k++)
                    windowVectors[call[k]] = vectors[k];
            }

        var pooled = new float[encoded.Count][];
        for (int i = 0; i < encoded.Count; i++)
        {
            int first = firstWindow[i], count = firstWindow[i + 1] - first;
            pooled[i] = count == 1
                ? windowVectors[first]
                : Pool(windowVectors.AsSpan(first, count), windows.GetRange(first, count), options.Pooling, normalize);
        }
        return pooled;
    }

    private static float[] Pool(ReadOnlySpan<float[]> vectors, List<TokenWindow> windows, LongTextPooling pooling, bool normalize)
    {
        var pooled = new float[vectors[0].Length];
        float total = 0;
        for (int w = 0; w < vectors.Length; w++)
        {
            float weight = pooling == LongTextPooling.LengthWeightedMean ? windows[w].TextTokens : 1f;
            TensorPrimitives.MultiplyAdd(vectors[w], weight, pooled, pooled);
            total += weight;
        }
        if (total > 0)
            TensorPrimitives.Divide(pooled, total, pooled);
        if (normalize)
            VectorPooling.NormalizeL2(pooled);
        return pooled;
    }
}
