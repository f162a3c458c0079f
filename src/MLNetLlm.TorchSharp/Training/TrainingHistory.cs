using System.Globalization;
using System.Text;
using MLNetLlm.Training;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Every optimizer step of a training run (a resumed run includes the steps before the checkpoint), why it stopped
/// and its last checkpoint; writes itself as CSV and gives its <see cref="LossCurve"/> to draw.
/// </summary>
public sealed class TrainingHistory
{
    internal const string CsvHeader = "step,epoch,tokens_seen,train_loss,train_perplexity,validation_loss,validation_perplexity,learning_rate,gradient_norm";

    /// <summary>A history of <paramref name="records"/>, in step order.</summary>
    internal TrainingHistory(IReadOnlyList<TrainingRecord> records, StopReason stopReason, string? lastCheckpoint, long? restoredStep = null)
    {
        ArgumentNullException.ThrowIfNull(records);
        Records = records;
        StopReason = stopReason;
        LastCheckpoint = lastCheckpoint;
        RestoredStep = restoredStep;
    }

    /// <summary>The step whose weights the model ended with, when <see cref="TrainingOptions.RestoreBestWeights"/> put
    /// back the weights of the best validation loss; null when the model ends with the last step's weights.</summary>
    public long? RestoredStep { get; }

    /// <summary>One record per optimizer step, in order.</summary>
    public IReadOnlyList<TrainingRecord> Records { get; }

    /// <summary>Why the run ended.</summary>
    public StopReason StopReason { get; }

    /// <summary>The checkpoint written at the end; null when no <see cref="TrainingOptions.CheckpointDirectory"/> was set.</summary>
    public string? LastCheckpoint { get; }

    /// <summary>The lowest validation loss evaluated; null when there was no validation set.</summary>
    public double? BestValidationLoss => Records.Where(r => r.ValidationLoss is not null).Select(r => r.ValidationLoss).Min();

    /// <summary>
    /// Writes the records as CSV with the header <c>step,epoch,tokens_seen,train_loss,train_perplexity,
    /// validation_loss,validation_perplexity,learning_rate,gradient_norm</c> (invariant culture; empty validation cells
    /// for steps without an evaluation).
    /// </summary>
    public void WriteCsv(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = new StringBuilder(CsvHeader).Append('\n');
        foreach (var r in Records)
        {
            text.Append(CultureInfo.InvariantCulture,
                $"{r.Step},{r.Epoch},{r.TokensSeen},{R(r.TrainLoss)},{R(r.TrainPerplexity)},{R(r.ValidationLoss)},{R(r.ValidationPerplexity)},{R(r.LearningRate)},{R(r.GradientNorm)}\n");
        }
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        File.WriteAllText(full, text.ToString());
    }

    /// <summary>
    /// The train and validation loss of every step against tokens seen, as plain data: draw it with the MLNetLlm.Plots
    /// package (<c>history.LossCurve.SavePlot("loss.png")</c>), so this package carries no plotting library.
    /// </summary>
    public LossCurve LossCurve => new([.. Records.Select(r => new LossCurvePoint(r.Step, r.TokensSeen, r.TrainLoss, r.ValidationLoss))]);

    /// <summary>Reads records written by <see cref="WriteCsv"/>.</summary>
    /// <exception cref="InvalidDataException">The file is not such a CSV.</exception>
    internal static List<TrainingRecord> ReadCsv(string path)
    {
        var lines = File.ReadAllLines(path);
        if (lines.Length == 0 || lines[0] != CsvHeader)
            throw new InvalidDataException($"{path} is not a training history CSV (its header differs).");
        var records = new List<TrainingRecord>(lines.Length - 1);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var cells = line.Split(',');
            if (cells.Length != 9) throw new InvalidDataException($"{path}: the line '{line}' does not have 9 cells.");
            try
            {
                records.Add(new TrainingRecord(
                    long.Parse(cells[0], CultureInfo.InvariantCulture),
                    int.Parse(cells[1], CultureInfo.InvariantCulture),
                    long.Parse(cells[2], CultureInfo.InvariantCulture),
                    double.Parse(cells[3], CultureInfo.InvariantCulture),
                    cells[5].Length == 0 ? null : double.Parse(cells[5], CultureInfo.InvariantCulture),
                    double.Parse(cells[7], CultureInfo.InvariantCulture),
                    double.Parse(cells[8], CultureInfo.InvariantCulture)));
            }
            catch (FormatException e)
            {
                throw new InvalidDataException($"{path}: the line '{line}' has a cell that is not a number.", e);
            }
        }
        return records;
    }

    // "R" round-trips doubles exactly, so a history read back from a checkpoint equals the one written.
    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string R(double? value) => value is { } v ? R(v) : "";
}
