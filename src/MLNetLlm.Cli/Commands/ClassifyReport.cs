using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML.Data;
using MLNetLlm.Cli.Input;
using MLNetLlm.Cli.Output;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.Training;

namespace MLNetLlm.Cli.Commands;

/// <summary>What <c>classify</c> writes beside the model: <c>report.md</c>, <c>report.json</c>, <c>history.csv</c>, <c>loss.png</c>.</summary>
internal sealed class ClassifyReport(TextRows rows, string backbone, string baseModel, FineTuneParameters parameters,
    TextClassifierTransformer classifier, MulticlassClassificationMetrics metrics, MulticlassClassificationMetrics? baseline,
    IReadOnlyList<string> commandLine)
{
    private static readonly CultureInfo I = CultureInfo.InvariantCulture;

    public void Write(StagedOutput output)
    {
        var training = classifier.Training ?? throw new InvalidOperationException("The classifier was not trained in this run.");
        training.History.WriteCsv(output.File("history.csv"));
        training.History.LossCurve.SavePlot(output.File("loss.png"));
        File.WriteAllText(output.File("report.json"), JsonSerializer.Serialize(ToJson(training), new JsonSerializerOptions { WriteIndented = true }));
        File.WriteAllText(output.File("report.md"), Markdown(training));
    }

    public void WriteSummary(TextWriter output)
    {
        output.WriteLine(string.Create(I, $"{"model",-34} {"accuracy",9} {"macro acc.",10} {"log-loss",9}"));
        output.WriteLine(Line($"{backbone} ({Describe(parameters)})", metrics));
        if (baseline is not null)
            output.WriteLine(Line("ML.NET FeaturizeText + SDCA", baseline));
        if (baseline is not null && baseline.MicroAccuracy > metrics.MicroAccuracy)
            output.WriteLine(string.Create(I, $"ML.NET's baseline is ahead by {(baseline.MicroAccuracy - metrics.MicroAccuracy) * 100:F1} points of accuracy on this split."));
    }

    private static string Line(string name, MulticlassClassificationMetrics m) =>
        string.Create(I, $"{name,-34} {m.MicroAccuracy,9:P1} {m.MacroAccuracy,10:P1} {m.LogLoss,9:F3}");

    private static string Describe(FineTuneParameters parameters) => parameters switch
    {
        FineTuneParameters.LoRA => "LoRA",
        FineTuneParameters.LastBlocks => "last blocks",
        _ => parameters.ToString().ToLowerInvariant(),
    };

    private object ToJson(FineTuneReport training) => new
    {
        command = "classify",
        input = rows.Source,
        textColumn = rows.TextColumn,
        labelColumn = rows.LabelColumn,
        rows = rows.Count,
        trainingRows = training.TrainingRows,
        validationRows = metrics.ConfusionMatrix.Counts.Sum(r => r.Sum()),
        classes = classifier.ClassLabels,
        classCounts = training.ClassCounts,
        backbone,
        baseModel,
        parameters = parameters.ToString(),
        maximumLength = classifier.MaximumLength,
        steps = training.History.Records.Count == 0 ? 0 : training.History.Records[^1].Step,
        truncatedRows = training.TruncatedRows,
        seconds = training.Elapsed.TotalSeconds,
        metrics = Metrics(metrics),
        baseline = baseline is null ? null : Metrics(baseline),
    };

    private static object Metrics(MulticlassClassificationMetrics m) => new
    {
        microAccuracy = m.MicroAccuracy,
        macroAccuracy = m.MacroAccuracy,
        logLoss = m.LogLoss,
        perClassPrecision = m.ConfusionMatrix.PerClassPrecision,
        perClassRecall = m.ConfusionMatrix.PerClassRecall,
        confusionMatrix = m.ConfusionMatrix.Counts,
    };

    private string Markdown(FineTuneReport training)
    {
        var text = new StringBuilder();
        text.AppendLine("# Classification report").AppendLine();
        text.AppendLine(I, $"Command: `mlnetllm {string.Join(' ', commandLine.Skip(1))}`").AppendLine();
        text.AppendLine(I, $"Input {rows.Source}: {rows.Count:N0} rows, text `{rows.TextColumn}`, label `{rows.LabelColumn}`; classes {string.Join(", ", classifier.ClassLabels)}.").AppendLine();
        text.AppendLine(I, $"Fine-tuned {backbone} ({baseModel}), {Describe(parameters)} trained, on {training.TrainingRows:N0} rows (per class {string.Join(", ", training.ClassCounts)}; {training.TruncatedRows:N0} cut to {classifier.MaximumLength} tokens) in {training.Elapsed:hh\\:mm\\:ss}. The held-out rows were used for this evaluation only, not to choose weights.").AppendLine();
        text.AppendLine("| model | accuracy | macro accuracy | log-loss |").AppendLine("| --- | --- | --- | --- |");
        text.AppendLine(I, $"| {backbone} ({Describe(parameters)}) | {metrics.MicroAccuracy:P2} | {metrics.MacroAccuracy:P2} | {metrics.LogLoss:F4} |");
        if (baseline is not null)
            text.AppendLine(I, $"| ML.NET FeaturizeText + SDCA (same split) | {baseline.MicroAccuracy:P2} | {baseline.MacroAccuracy:P2} | {baseline.LogLoss:F4} |");
        text.AppendLine().AppendLine("Confusion matrix (rows: truth, columns: predicted):").AppendLine().AppendLine("```");
        text.AppendLine(metrics.ConfusionMatrix.GetFormattedConfusionTable()).AppendLine("```").AppendLine();
        text.AppendLine("![loss curve](loss.png)").AppendLine();
        text.AppendLine("`model.zip` loads with `mlContext.Model.Llm.Load` (or scores with `mlnetllm predict`); `model.onnx` scores with `ClassifyWithOnnx`, without libtorch.");
        return text.ToString();
    }
}
