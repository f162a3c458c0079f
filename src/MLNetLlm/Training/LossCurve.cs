namespace MLNetLlm.Training;

/// <summary>One optimizer step of a loss curve.</summary>
/// <param name="Step">The step's number, from 1.</param>
/// <param name="TokensSeen">Tokens trained on up to and including this step (the curve's x axis).</param>
/// <param name="TrainLoss">The step's training loss.</param>
/// <param name="ValidationLoss">The validation loss when the step was followed by an evaluation; null otherwise.</param>
public readonly record struct LossCurvePoint(long Step, long TokensSeen, double TrainLoss, double? ValidationLoss);

/// <summary>
/// The train and validation loss of a training run, step by step: plain data. The training history of
/// MLNetLlm.TorchSharp gives it (<c>history.LossCurve</c>) and the MLNetLlm.Plots package draws it
/// (<c>curve.SavePlot("loss.png")</c>); it lives in the core so that drawing needs neither TorchSharp nor libtorch,
/// and training needs no plotting library.
/// </summary>
public sealed class LossCurve
{
    /// <summary>A curve of <paramref name="points"/>, in step order.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="points"/> is null.</exception>
    public LossCurve(IReadOnlyList<LossCurvePoint> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        Points = points;
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<LossCurvePoint> Points { get; }
}
