using MLNetLlm.Training;

namespace MLNetLlm.Plots.Tests.Training;

public sealed class LossCurvePlotTests
{
    private static LossCurve Curve(int steps, int evaluateEvery) => new(
        [.. Enumerable.Range(1, steps).Select(step => new LossCurvePoint(step, step * 256L, 5.0 / step + 1,
            step % evaluateEvery == 0 ? 5.5 / step + 1.2 : null))]);

    [Fact]
    public void A_curve_with_and_without_validation_points_is_drawn_into_a_new_folder()
    {
        using var folder = new PngFolder();
        var nested = Path.Combine(folder.Path, "run", "loss.png");

        Curve(steps: 150, evaluateEvery: 50).SavePlot(nested);
        LossCurvePlot.SavePlot(Curve(steps: 10, evaluateEvery: 100), folder.File("train-only.png"), width: 400, height: 300);

        PngFolder.AssertPng(nested);
        PngFolder.AssertPng(folder.File("train-only.png"));
    }

    [Fact]
    public void An_empty_curve_and_a_tiny_picture_are_refused()
    {
        using var folder = new PngFolder();
        Assert.Contains("no steps", Assert.Throws<InvalidOperationException>(() => new LossCurve([]).SavePlot(folder.File("empty.png"))).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Curve(3, 1).SavePlot(folder.File("small.png"), width: 50));
        Assert.Throws<ArgumentException>(() => Curve(3, 1).SavePlot(""));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
