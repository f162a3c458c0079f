using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;

/// <summary>How one model did on the test mails, and what its training cost.</summary>
internal sealed record ModelResult(
    string Name,
    CalibratedBinaryClassificationMetrics Metrics,
    int HardHamCorrect,
    int HardHamTotal,
    double TrainSeconds,
    long ExamplesTrained,
    double ScoreSeconds,
    int TestRows)
{
    /// <summary>Share of the hard-ham test mails predicted ham.</summary>
    public double HardHamAccuracy => HardHamTotal == 0 ? double.NaN : (double)HardHamCorrect / HardHamTotal;

    /// <summary>Training examples processed per second: mails × epochs for the fine-tuning, mails for a one-pass featurizer + trainer.</summary>
    public double ExamplesPerSecond => ExamplesTrained / TrainSeconds;

    /// <summary>
    /// Scores <paramref name="test"/> with <paramref name="model"/> once (timed), then evaluates the predictions with
    /// ML.NET's <c>BinaryClassification.Evaluate</c> and counts the hard ham predicted ham.
    /// </summary>
    public static ModelResult Evaluate(MLContext ml, string name, ITransformer model, IReadOnlyList<Mail> test,
        double trainSeconds, long examplesTrained)
    {
        var watch = Stopwatch.StartNew();
        var predictions = ml.Data.CreateEnumerable<Prediction>(model.Transform(ml.Data.LoadFromEnumerable(test)), reuseRowObject: false).ToList();
        double scoreSeconds = watch.Elapsed.TotalSeconds;
        if (predictions.Count != test.Count)
            throw new InvalidOperationException($"{name} scored {predictions.Count} of {test.Count} test mails.");
        var metrics = ml.BinaryClassification.Evaluate(ml.Data.LoadFromEnumerable(predictions));
        var hardHam = predictions.Where((_, i) => test[i].IsHardHam).ToList();
        return new ModelResult(name, metrics, hardHam.Count(p => !p.PredictedLabel), hardHam.Count,
            trainSeconds, examplesTrained, scoreSeconds, test.Count);
    }

    /// <summary>The columns every binary classifier of ML.NET (and ours) adds, beside the label.</summary>
    private sealed class Prediction
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }
}
