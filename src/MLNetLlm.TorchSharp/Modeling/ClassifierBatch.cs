using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// Right-padded batches of token-id sequences: (B, T) ids and a (B, T) attention mask, T the longest sequence of the
/// batch after truncation to the first <c>maxLength</c> tokens. Padding positions hold id 0 and mask 0.
/// </summary>
internal static class ClassifierBatch
{
    /// <summary>The ids and mask of <paramref name="rows"/>, on <paramref name="device"/>, and the real tokens they hold.</summary>
    public static (Tensor Ids, Tensor Mask, long Tokens) Pad(IReadOnlyList<int[]> rows, int maxLength, Device device)
    {
        int time = rows.Max(r => Math.Min(r.Length, maxLength));
        var ids = new long[rows.Count * time];
        var mask = new long[rows.Count * time];
        long tokens = 0;
        for (int row = 0; row < rows.Count; row++)
        {
            int length = Math.Min(rows[row].Length, maxLength);
            for (int t = 0; t < length; t++)
            {
                ids[row * time + t] = rows[row][t];
                mask[row * time + t] = 1;
            }
            tokens += length;
        }
        var shape = new long[] { rows.Count, time };
        return (tensor(ids, shape).to(device), tensor(mask, shape).to(device), tokens);
    }

    /// <summary>Checks that every sequence is non-empty and its ids are in the vocabulary, naming the first bad row.</summary>
    /// <exception cref="ArgumentException">A sequence is null or empty, or holds an id outside [0, vocabulary).</exception>
    public static void Check(IReadOnlyList<int[]> rows, int vocabularySize, string parameter, string what)
    {
        for (int i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            if (row is null || row.Length == 0)
                throw new ArgumentException($"{what} {i} has no tokens: every text needs at least one token (the ML.NET trainer maps an empty text to a single end-of-text token).", parameter);
            foreach (int id in row)
            {
                if (id < 0 || id >= vocabularySize)
                    throw new ArgumentException($"{what} {i} has token id {id}, outside the model's vocabulary [0, {vocabularySize}).", parameter);
            }
        }
    }
}
