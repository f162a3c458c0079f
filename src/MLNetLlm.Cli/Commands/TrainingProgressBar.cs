using System.Globalization;
using MLNetLlm.TorchSharp.Training;
using Spectre.Console;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// Shows training progress: a Spectre progress bar (step, loss, tokens/s, ETA) on an interactive terminal; otherwise
/// one line at every evaluation, so a log file shows the run too.
/// </summary>
internal static class TrainingProgressBar
{
    public static T Run<T>(CliConsole console, Func<IProgress<TrainingProgress>, T> work, string title = "pretraining")
    {
        if (!console.Ansi.Profile.Capabilities.Interactive)
            return work(new LineProgress(console.Out));
        T result = default!;
        console.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: 1);
                result = work(new Progress(p =>
                {
                    task.MaxValue = Math.Max(1, p.TotalSteps);
                    task.Value = p.Step;
                    task.Description = Describe(p);
                }));
                task.StopTask();
            });
        return result;
    }

    private static string Describe(TrainingProgress p) => string.Create(CultureInfo.InvariantCulture,
        $"step {p.Step}/{p.TotalSteps} loss {p.TrainLoss:F3} | {p.TokensPerSecond:N0} tok/s | eta {p.EstimatedRemaining:hh\\:mm\\:ss}");

    /// <summary>Reports synchronously on the training thread (System.Progress would post to the thread pool).</summary>
    private sealed class Progress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }

    private sealed class LineProgress(TextWriter output) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value)
        {
            if (value.ValidationLoss is not null || value.Step == value.TotalSteps)
                output.WriteLine(value.ToString());
        }
    }
}
