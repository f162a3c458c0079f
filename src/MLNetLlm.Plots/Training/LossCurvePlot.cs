using ScottPlot;

namespace MLNetLlm.Training;

/// <summary>PNG pictures of loss curves, drawn with ScottPlot.</summary>
public static class LossCurvePlot
{
    extension(LossCurve curve)
    {
        /// <summary>
        /// Saves a PNG of the loss curves against tokens seen: the training loss of every step (a line) and the
        /// validation loss at each evaluation (dashed, with markers). The folder is created if needed.
        /// </summary>
        /// <param name="path">The PNG file to write.</param>
        /// <param name="width">Width in pixels, at least 100.</param>
        /// <param name="height">Height in pixels, at least 100.</param>
        /// <example><code>history.LossCurve.SavePlot("loss.png");   // history: a TrainingHistory of MLNetLlm.TorchSharp</code></example>
        /// <exception cref="InvalidOperationException">The curve has no points.</exception>
        public void SavePlot(string path, int width = 800, int height = 500)
        {
            ArgumentNullException.ThrowIfNull(curve);
            ArgumentException.ThrowIfNullOrEmpty(path);
            ArgumentOutOfRangeException.ThrowIfLessThan(width, 100);
            ArgumentOutOfRangeException.ThrowIfLessThan(height, 100);
            if (curve.Points.Count == 0) throw new InvalidOperationException("The loss curve has no steps to plot.");
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            Draw(curve.Points, full, width, height);
        }
    }

    private static void Draw(IReadOnlyList<LossCurvePoint> points, string path, int width, int height)
    {
        using var plot = new Plot();
        var train = plot.Add.Scatter(points.Select(p => (double)p.TokensSeen).ToArray(), points.Select(p => p.TrainLoss).ToArray());
        train.LegendText = "train loss";
        train.MarkerSize = 0;
        var evaluated = points.Where(p => p.ValidationLoss is not null).ToArray();
        if (evaluated.Length > 0)
        {
            var validation = plot.Add.Scatter(evaluated.Select(p => (double)p.TokensSeen).ToArray(), evaluated.Select(p => p.ValidationLoss!.Value).ToArray());
            validation.LegendText = "validation loss";
            validation.MarkerSize = 5;
            validation.LinePattern = LinePattern.Dashed;
        }
        plot.Title("Loss curve");
        plot.XLabel("tokens seen");
        plot.YLabel("cross-entropy loss");
        plot.ShowLegend();
        plot.Legend.Alignment = Alignment.UpperRight; // falling curves leave that corner empty
        plot.SavePng(path, width, height);
    }
}
