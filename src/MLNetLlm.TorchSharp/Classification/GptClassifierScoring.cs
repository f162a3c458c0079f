using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>The class probabilities of a batch of rows, and the log-odds of class 1 over class 0 for binary models.</summary>
internal readonly record struct GptClassifierBatch(float[][] Probabilities, float[] LogOdds);

/// <summary>Runs a <see cref="GptClassifier"/> over token sequences, a batch per call, right-padded with a mask.</summary>
internal static class GptClassifierScoring
{
    /// <summary>Scores <paramref name="rows"/> (each at least one id, at most the context) in batches of <paramref name="batchSize"/>.</summary>
    public static GptClassifierBatch Score(GptClassifier classifier, IReadOnlyList<int[]> rows, int batchSize)
    {
        var probabilities = new float[rows.Count][];
        var logOdds = new float[rows.Count];
        int classes = classifier.ClassCount;
        var device = classifier.Transformer.Device;
        for (int start = 0; start < rows.Count; start += batchSize)
        {
            int count = Math.Min(batchSize, rows.Count - start);
            int length = 1;
            for (int i = 0; i < count; i++)
                length = Math.Max(length, rows[start + i].Length);
            var ids = new long[count * length];
            var mask = new long[count * length];
            for (int i = 0; i < count; i++)
            {
                var row = rows[start + i];
                for (int t = 0; t < row.Length; t++)
                {
                    ids[i * length + t] = row[t];
                    mask[i * length + t] = 1;
                }
            }
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            var idTensor = tensor(ids, [count, length], device: device);              // (B, T)
            var maskTensor = tensor(mask, [count, length], device: device);           // (B, T)
            var logits = classifier.forward(idTensor, maskTensor).to(ScalarType.Float32).cpu(); // (B, classes)
            var probs = logits.softmax(1).data<float>().ToArray();
            var raw = logits.data<float>().ToArray();
            for (int i = 0; i < count; i++)
            {
                probabilities[start + i] = probs[(i * classes)..((i + 1) * classes)];
                logOdds[start + i] = classes == 2 ? raw[i * 2 + 1] - raw[i * 2] : float.NaN;
            }
        }
        return new GptClassifierBatch(probabilities, logOdds);
    }
}
