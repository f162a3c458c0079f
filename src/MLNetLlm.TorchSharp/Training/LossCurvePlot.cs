namespace MLNetLlm.TorchSharp.Training;

/// <summary>Draws train and validation loss against tokens seen with ScottPlot.</summary>
internal static class LossCurvePlot
{
    public static void Save(IReadOnlyList<TrainingRecord> records, string path, int width, int height)
    {
        using var plot = new ScottPlot.Plot();
        var train = plot.Add.Scatter(records.Select(r => (double)r.TokensSeen).ToArray(), records.Select(r => r.TrainLoss).ToArray());
        train.LegendText = "train loss";
        train.MarkerSize = 0;
        var evaluated = records.Where(r => r.ValidationLoss is not null).ToArray();
        if (evaluated.Length > 0)
        {
            var validation = plot.Add.Scatter(evaluated.Select(r => (double)r.TokensSeen).ToArray(), evaluated.Select(r => r.ValidationLoss!.Value).ToArray());
            validation.LegendText = "validation loss";
            validation.MarkerSize = 5;
            validation.LinePattern = ScottPlot.LinePattern.Dashed;
        }
        plot.Title("Loss curve");
        plot.XLabel("tokens seen");
        plot.YLabel("cross-entropy loss");
        plot.ShowLegend();
        plot.Legend.Alignment = ScottPlot.Alignment.UpperRight; // falling curves leave that corner empty
        plot.SavePng(path, width, height);
    }
}
