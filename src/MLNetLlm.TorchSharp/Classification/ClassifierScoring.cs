using System.Numerics.Tensors;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>The class probabilities of a batch of rows, and the log-odds of class 1 over class 0 for binary models.</summary>
internal readonly record struct ClassifierScoringBatch(float[][] Probabilities, float[] LogOdds);

/// <summary>Scores token sequences with a <see cref="TextClassifier"/>, keeping the logits so a binary Score stays exact when probabilities saturate.</summary>
internal static class ClassifierScoring
{
    /// <summary>Scores <paramref name="rows"/> (each at least one id, at most the context) in batches of <paramref name="batchSize"/>.</summary>
    public static ClassifierScoringBatch Score(TextClassifier classifier, IReadOnlyList<int[]> rows, int batchSize)
    {
        var logits = classifier.PredictLogits(rows, batchSize);
        var logOdds = new float[rows.Count];
        var probabilities = new float[rows.Count][];
        for (int i = 0; i < rows.Count; i++)
        {
            logOdds[i] = classifier.ClassCount == 2 ? logits[i][1] - logits[i][0] : float.NaN;
            probabilities[i] = new float[classifier.ClassCount];
            TensorPrimitives.SoftMax(logits[i], probabilities[i]);
        }
        return new ClassifierScoringBatch(probabilities, logOdds);
    }
}
