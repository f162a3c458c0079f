using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// Progress over rows (embedding, scoring): a Spectre bar with rows/s and ETA on an interactive terminal; otherwise a
/// line at each quarter, so a log file shows the run too.
/// </summary>
internal static class RowProgressBar
{
    /// <summary>Runs <paramref name="work"/>, which calls the action it is given with the rows done so far.</summary>
    public static T Run<T>(CliConsole console, string title, long totalRows, Func<Action<long>, T> work)
    {
        var watch = Stopwatch.StartNew();
        if (!console.Ansi.Profile.Capabilities.Interactive)
        {
            long quarter = Math.Max(1, (totalRows + 3) / 4), nextLine = quarter;
            return work(done =>
            {
                if (done < nextLine && done != totalRows)
                    return;
                nextLine = done + quarter;
                console.Out.WriteLine(Describe(title, done, totalRows, watch.Elapsed));
            });
        }
        T result = default!;
        console.Ansi.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(title, maxValue: Math.Max(1, totalRows));
                result = work(done =>
                {
                    task.Value = done;
                    task.Description = Describe(title, done, totalRows, watch.Elapsed);
                });
                task.StopTask();
            });
        return result;
    }

    private static string Describe(string title, long done, long total, TimeSpan elapsed)
    {
        double rate = done / Math.Max(1e-3, elapsed.TotalSeconds);
        var remaining = TimeSpan.FromSeconds(rate > 0 ? (total - done) / rate : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{title} {done:N0}/{total:N0} | {rate:N1} rows/s | eta {remaining:hh\\:mm\\:ss}");
    }
}
