using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MLNetLlm.Cli.Input;
using MLNetLlm.Cli.Output;
using MLNetLlm.Persistence;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm embed</c>: embeds a table's text column or a folder of text files into a safetensors file (one
/// <c>embeddings</c> tensor of rows × dimensions, the row ids in its metadata) or a CSV file (id, then one column a
/// dimension). Whole documents by default: longer texts are read in windows (<c>LongTextOptions</c>).
/// </summary>
internal static class EmbedCommand
{
    /// <summary>The tensor's name in the safetensors file.</summary>
    public const string TensorName = "embeddings";

    public static Command Create(CliConsole console)
    {
        var input = new TextInput(allowFolders: true, withLabel: false);
        var embedder = new EmbedderOption();
        var output = new Option<string>("--output", "-o") { Description = "The file to write: .safetensors (tensor 'embeddings', ids in the metadata) or .csv. Its JSON report goes beside it (<name>.report.json).", Required = true };
        output.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string>() is string path && Path.GetExtension(path).ToLowerInvariant() is not (".safetensors" or ".csv"))
                r.AddError($"--output {path}: give a .safetensors or .csv file.");
        });

        var command = new Command("embed", "Embed a text column or a folder of text files (whole documents) into a safetensors or CSV file.");
        input.AddTo(command);
        embedder.AddTo(command);
        command.Add(output);
        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            var rows = input.Read(parsed);
            var target = Path.GetFullPath(parsed.GetValue(output)!);
            using var staged = StagedOutput.ForFile(target, out var stagedFile);
            var ml = new MLContext(seed: 1);
            var model = embedder.Load(ml, parsed, out var owner);
            using var _ = owner;
            var watch = Stopwatch.StartNew();
            var vectors = embedder.Embed(console, ml, parsed, rows, model, cancellationToken);
            int dimension = model.Dimension;
            if (Path.GetExtension(target).Equals(".csv", StringComparison.OrdinalIgnoreCase))
                TableWriter.Write(stagedFile, target, ["Id", .. Enumerable.Range(0, dimension).Select(d => $"e{d}")],
                    Enumerable.Range(0, rows.Count).Select(i => (IReadOnlyList<string>)[rows.Ids[i], .. vectors[i].Select(v => v.ToString("R", CultureInfo.InvariantCulture))]));
            else
                SafetensorsWriter.Write(stagedFile, [SafetensorsEntry.FromSingles(TensorName, [.. vectors.SelectMany(v => v)], [rows.Count, dimension])],
                    new Dictionary<string, string>
                    {
                        ["ids"] = JsonSerializer.Serialize(rows.Ids),
                        ["model"] = model.Name,
                        ["source"] = rows.Source,
                        ["text_column"] = rows.Table is null ? "" : rows.TextColumn,
                    });
            var report = new
            {
                command = "embed",
                input = rows.Source,
                textColumn = rows.Table is null ? null : rows.TextColumn,
                rows = rows.Count,
                dimension,
                model = model.Name,
                wholeDocuments = !parsed.GetValue(embedder.FirstWindowOnly),
                seconds = watch.Elapsed.TotalSeconds,
                output = target,
            };
            File.WriteAllText(staged.File(Path.GetFileNameWithoutExtension(target) + ".report.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            staged.Commit();
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Embedded {rows.Count:N0} texts into {dimension} dimensions with {model.Name} in {watch.Elapsed.TotalSeconds:F1} s ({rows.Count / Math.Max(1e-3, watch.Elapsed.TotalSeconds):N1} texts/s); written to {target}."));
            return Task.FromResult(0);
        });
        return command;
    }
}
