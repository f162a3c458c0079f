using System.Diagnostics;
using MLNetLlm.Embeddings;
using Spectre.Console;

/// <summary>Embedding with a progress bar that shows the documents done and the docs/s so far.</summary>
internal static class EmbeddingProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports how many of <paramref name="total"/> documents are done; returns its result.</summary>
    public static T Run<T>(string what, int total, Func<Action<int>, T> work)
    {
        var watch = Stopwatch.StartNew();
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(context =>
            {
                var task = context.AddTask(what, maxValue: total);
                result = work(done =>
                {
                    task.Value = done;
                    task.Description = $"{what}: {done:N0}/{total:N0}, {done / watch.Elapsed.TotalSeconds:N0} docs/s";
                });
                task.Value = total;
            });
        return result;
    }

    /// <summary>The vectors of <paramref name="texts"/>, embedded in batches of 64 with a progress bar, and the docs/s.</summary>
    public static (float[][] Vectors, double DocsPerSecond) Embed(TextEmbedder embedder, IReadOnlyList<string> texts, string what)
    {
        var watch = Stopwatch.StartNew();
        var vectors = Run(what, texts.Count, report =>
        {
            var embedded = new float[texts.Count][];
            for (var start = 0; start < texts.Count; start += 64)
            {
                var batch = texts.Skip(start).Take(64).ToArray();
                embedder.Embed(batch).CopyTo(embedded, start);
                report(start + batch.Length);
            }
            return embedded;
        });
        return (vectors, texts.Count / watch.Elapsed.TotalSeconds);
    }
}
