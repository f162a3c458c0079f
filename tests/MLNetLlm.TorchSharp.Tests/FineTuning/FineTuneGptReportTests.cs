using Microsoft.ML;
using MLNetLlm.TorchSharp.Tests.Pretraining;
using MLNetLlm.TorchSharp.Tests.Training;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Tests.FineTuning;

[Collection(TrainingCollection.Name)]
public class FineTuneGptReportTests
{
    [Fact]
    public void ValidationSet_BalancedWeights_AndSkippedAndCutRows_ReachTheTrainingAndItsReport()
    {
        var ml = new MLContext(seed: 1);
        using var baseModel = TinyClassification.BaseModel();
        var rows = TinyClassification.Subject(40, seed: 1);
        var mapping = ml.Transforms.Conversion.MapValueToKey("Label").Fit(TinyClassification.Data(ml, rows));
        rows.Add(new TinyClassification.SubjectRow { Text = "the court said", Label = "court" });       // missing key: skipped
        rows.Add(new TinyClassification.SubjectRow { Text = string.Join(" ", Enumerable.Repeat("the jury said", 10)), Label = "jury" }); // longer than 12 tokens, as are some others
        var train = mapping.Transform(TinyClassification.Data(ml, rows));
        var validation = mapping.Transform(TinyClassification.Data(ml, TinyClassification.Subject(20, seed: 2)));
        var lines = new List<string>();
        var options = TinyClassification.Options(baseModel, epochs: 2) with { ValidationSet = validation, BalanceClasses = true };
        options = options with { Training = options.Training with { MaxSequenceLength = 12, EvaluateEveryNSteps = 2 } };

        var estimator = ml.MulticlassClassification.Trainers.Llm.FineTuneGpt(options);
        ml.Log += (_, e) => { if (e.Source == "FineTuneGpt") lines.Add(e.Message); };
        using var classifier = estimator.Fit(train);

        var report = classifier.Training!;
        Assert.Equal(41, report.TrainingRows);
        Assert.Equal(20, report.ValidationRows);
        Assert.Equal(1, report.SkippedRows);
        Assert.Equal(rows.Where(r => r.Label != "court").Count(r => TinyGpt.Tokenizer.EncodeToIds(r.Text).Count > 12), report.TruncatedRows);
        Assert.True(report.TruncatedRows >= 1);
        Assert.Equal(41, report.ClassCounts.Sum());
        var expected = report.ClassCounts.Select(c => (float)(41.0 / (3 * c))).ToArray();
        Assert.Equal(expected, report.ClassWeights!);
        Assert.Equal(6, report.History.Records.Count);                     // 3 batches of 16 a epoch, 2 epochs
        Assert.Equal(3, report.History.Records.Count(r => r.ValidationLoss is not null));
        Assert.NotNull(report.History.BestValidationLoss);
        Assert.Equal(12, classifier.MaximumLength);
        Assert.Contains(lines, l => l.Contains("1 rows without a label skipped") && l.Contains($"{report.TruncatedRows} rows cut to 12 tokens"));
        Assert.Contains(lines, l => l.Contains("] Fine-tuned in"));
    }
}
