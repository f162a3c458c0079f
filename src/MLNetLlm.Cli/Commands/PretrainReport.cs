using System.Globalization;
using System.Text;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using MLNetLlm.Training;

namespace MLNetLlm.Cli.Commands;

/// <summary>Writes a pretraining run's report next to the model: <c>report.md</c>, <c>history.csv</c>, <c>loss.png</c>.</summary>
internal static class PretrainReport
{
    /// <summary>Fails before training when the output folder cannot be written.</summary>
    public static void CheckWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".write-test-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, [1]);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"The output folder {folder} is not writable: {e.Message}");
        }
    }

    public static void Write(string folder, GptTransformer gpt, IReadOnlyList<string> commandLine)
    {
        var report = gpt.Training ?? throw new InvalidOperationException("The model was not trained in this run.");
        report.History.WriteCsv(Path.Combine(folder, "history.csv"));
        report.History.LossCurve.SavePlot(Path.Combine(folder, "loss.png"));
        var c = gpt.Model.Config;
        var last = report.History.Records[^1];
        var text = new StringBuilder();
        var I = CultureInfo.InvariantCulture;
        text.AppendLine("# Pretraining report").AppendLine();
        text.AppendLine(I, $"Command: `mlnetllm {string.Join(' ', commandLine.Skip(1))}`").AppendLine();
        text.AppendLine("| figure | value |").AppendLine("| --- | --- |");
        text.AppendLine(I, $"| model | {c.Layers} layers, {c.Heads} heads, width {c.EmbeddingSize}, context {c.ContextLength}, vocabulary {c.VocabularySize}, dropout {c.Dropout} |");
        text.AppendLine(I, $"| parameters | {report.ParameterCount:N0} |");
        text.AppendLine(I, $"| training tokens (one epoch) | {report.TrainingTokens:N0} |");
        text.AppendLine(I, $"| tokens seen | {report.TokensSeen:N0} ({last.Step:N0} steps, stop: {report.History.StopReason}) |");
        text.AppendLine(I, $"| time | {report.Elapsed:hh\\:mm\\:ss} on {Environment.ProcessorCount} cores |");
        text.AppendLine(I, $"| validation tokens | {report.ValidationAfter.Tokens:N0} |");
        text.AppendLine(I, $"| validation perplexity before training | {report.ValidationBefore.Perplexity:F1} (loss {report.ValidationBefore.Loss:F3}) |");
        text.AppendLine(I, $"| **validation perplexity after training** | **{report.ValidationAfter.Perplexity:F1}** (loss {report.ValidationAfter.Loss:F3}) |");
        text.AppendLine(I, $"| add-one unigram perplexity, same validation tokens | {report.UnigramValidationPerplexity:F1} |");
        text.AppendLine(I, $"| ratio model / unigram | {report.ValidationAfter.Perplexity / report.UnigramValidationPerplexity:F3} |");
        text.AppendLine().AppendLine("![loss curve](loss.png)").AppendLine();
        text.AppendLine("Every step is in `history.csv` (step, epoch, tokens seen, train and validation loss and perplexity, learning rate, gradient norm).");
        File.WriteAllText(Path.Combine(folder, "report.md"), text.ToString());
    }
}
