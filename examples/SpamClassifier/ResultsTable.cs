using System.Globalization;
using Spectre.Console;

/// <summary>Prints the results as a console table and as a markdown table (for the README).</summary>
internal static class ResultsTable
{
    public static void Print(IReadOnlyList<ModelResult> results, int trainRows)
    {
        if (Console.IsOutputRedirected)
            AnsiConsole.Profile.Width = Math.Max(AnsiConsole.Profile.Width, 180); // a log file is not 80 columns wide
        var table = new Table().Border(TableBorder.Rounded).Title("Test set (stratified, seed 1)");
        foreach (var header in Headers)
            table.AddColumn(new TableColumn(header).RightAligned());
        table.Columns[0].LeftAligned();
        foreach (var r in results)
            table.AddRow(Cells(r).Select(Markup.Escape).ToArray());
        AnsiConsole.Write(table);

        Console.WriteLine();
        Console.WriteLine($"| {string.Join(" | ", Headers)} |");
        Console.WriteLine($"| --- |{string.Concat(Enumerable.Repeat(" ---: |", Headers.Length - 1))}");
        foreach (var r in results)
            Console.WriteLine($"| {string.Join(" | ", Cells(r))} |");
        Console.WriteLine();
        Console.WriteLine($"Confusion matrix cells: TP = spam caught, FN = spam missed, FP = ham flagged, TN = ham passed. " +
            $"Training mails: {trainRows}. examples/s = training mails × epochs / training time (featurizing or embedding included).");
    }

    private static readonly string[] Headers =
        ["model", "accuracy", "F1", "precision", "recall", "TP / FN / FP / TN", "hard-ham accuracy", "train (s)", "train examples/s", "test rows/s"];

    private static string[] Cells(ModelResult r)
    {
        var m = r.Metrics;
        var counts = m.ConfusionMatrix.Counts; // rows: true positive class, true negative class; columns: predicted positive, negative
        return
        [
            r.Name,
            P(m.Accuracy), P(m.F1Score), P(m.PositivePrecision), P(m.PositiveRecall),
            string.Create(CultureInfo.InvariantCulture, $"{counts[0][0]:0} / {counts[0][1]:0} / {counts[1][0]:0} / {counts[1][1]:0}"),
            string.Create(CultureInfo.InvariantCulture, $"{P(r.HardHamAccuracy)} ({r.HardHamCorrect}/{r.HardHamTotal})"),
            r.TrainSeconds.ToString("F1", CultureInfo.InvariantCulture),
            r.ExamplesPerSecond.ToString("F1", CultureInfo.InvariantCulture),
            (r.TestRows / r.ScoreSeconds).ToString("F1", CultureInfo.InvariantCulture),
        ];
    }

    private static string P(double value) => double.IsNaN(value) ? "n/a" : value.ToString("P2", CultureInfo.InvariantCulture);
}
