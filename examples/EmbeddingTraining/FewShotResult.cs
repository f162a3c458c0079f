using Microsoft.ML;
using Microsoft.ML.Data;

/// <summary>How one few-shot model did on the test mails.</summary>
internal sealed record FewShotResult(string Model, int PerClass, double Accuracy, double F1, double TrainSeconds)
{
    /// <summary>Evaluates predictions (the <c>Label</c>, <c>Score</c> and <c>PredictedLabel</c> columns) with ML.NET's evaluator.</summary>
    public static FewShotResult Evaluate(MLContext ml, string model, int perClass, IDataView predictions, int testMails, double trainSeconds)
    {
        var rows = predictions.GetRowCount() ?? ml.Data.CreateEnumerable<LabelOnly>(predictions, reuseRowObject: true).LongCount();
        if (rows != testMails)
            throw new InvalidOperationException($"{model} scored {rows} of {testMails} test mails.");
        var metrics = ml.BinaryClassification.EvaluateNonCalibrated(predictions);
        return new FewShotResult(model, perClass, metrics.Accuracy, metrics.F1Score, trainSeconds);
    }

    private sealed class LabelOnly
    {
        public bool Label { get; set; }
    }
}
