using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Cli.Input;
using MLNetLlm.Cli.Output;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm predict</c>: scores a table or a folder with a saved classifier pipeline (.zip, as <c>classify</c> writes)
/// or an exported classifier (.onnx, scored by <c>ClassifyWithOnnx</c> without libtorch), writing the input's columns
/// with <c>PredictedLabel</c> and one probability column per class.
/// </summary>
internal static class PredictCommand
{
    private const string Predicted = "PredictedLabel";
    private const string ScoreColumn = "Score";

    public static Command Create(CliConsole console)
    {
        var model = new Option<FileInfo>("--model", "-m") { Description = "A saved pipeline (.zip, from classify or mlContext.Model.Llm.Save) or an exported classifier (.onnx).", Required = true };
        model.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<FileInfo>() is { } file && !file.Exists)
                r.AddError($"The model {file.FullName} does not exist.");
            else if (r.GetValueOrDefault<FileInfo>() is { } f && f.Extension.ToLowerInvariant() is not (".zip" or ".onnx"))
                r.AddError($"The model {f.FullName} is neither a .zip pipeline nor an .onnx classifier.");
        });
        var input = new TextInput(allowFolders: true, withLabel: true, labelRequired: false);
        var output = new Option<string>("--output", "-o") { Description = "The predictions file (.csv, .tsv or .jsonl); its JSON report is written beside it (<name>.report.json).", Required = true };
        output.Validators.Add(r => { if (r.GetValueOrDefault<string>() is string path && !TableWriter.Knows(path)) r.AddError($"--output {path}: give a .csv, .tsv or .jsonl file."); });

        var command = new Command("predict", "Score a table or a folder of texts with a saved classifier (.zip) or its ONNX export, writing the predictions.") { model };
        input.AddTo(command);
        command.Add(output);
        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            var modelPath = parsed.GetValue(model)!.FullName;
            var target = Path.GetFullPath(parsed.GetValue(output)!);
            using var staged = StagedOutput.ForFile(target, out var stagedPredictions);
            var ml = new MLContext(seed: 1);
            var (scorer, expectedText) = LoadScorer(ml, modelPath, parsed.GetValue(input.TextColumn)!, parsed.GetResult(input.TextColumn) is { Implicit: false });
            try
            {
                var textColumn = parsed.GetResult(input.TextColumn) is { Implicit: false } ? parsed.GetValue(input.TextColumn)! : expectedText;
                var rows = input.Read(parsed, textColumn) with { TextColumn = expectedText };
                var (labels, classes, probabilities) = Score(console, scorer, rows.ToDataView(ml), rows.Count, cancellationToken);

                var columns = new List<string>(rows.Table?.Columns ?? ["Path"]) { Predicted };
                columns.AddRange(classes.Select(c => $"{ScoreColumn}.{c}"));
                var cells = Enumerable.Range(0, rows.Count).Select(i => (IReadOnlyList<string>)[
                    .. rows.Table is { } table ? table.Rows[i] : [rows.Ids[i]],
                    labels[i],
                    .. probabilities[i].Select(p => p.ToString("R", CultureInfo.InvariantCulture))]);
                TableWriter.Write(stagedPredictions, target, columns, cells);

                double? accuracy = rows.Labels is { } truth ? Enumerable.Range(0, rows.Count).Count(i => truth[i] == labels[i]) / (double)rows.Count : null;
                var counts = labels.GroupBy(l => l).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count());
                var report = new { command = "predict", model = modelPath, input = rows.Source, textColumn = textColumn, rows = rows.Count, classes, predictedCounts = counts, labelColumn = rows.LabelColumn, accuracy };
                File.WriteAllText(staged.File(Path.GetFileNameWithoutExtension(target) + ".report.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
                staged.Commit();

                console.Out.WriteLine($"Scored {rows.Count:N0} rows with {Path.GetFileName(modelPath)}: {string.Join(", ", counts.Select(c => $"{c.Key} {c.Value:N0}"))}.");
                if (accuracy is double a)
                    console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Accuracy against --label-col {rows.LabelColumn}: {a:P2}."));
                console.Out.WriteLine($"Predictions written to {target}.");
            }
            finally
            {
                foreach (var stage in scorer is IEnumerable<ITransformer> chain ? chain : [scorer])
                    (stage as IDisposable)?.Dispose();
            }
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>The scorer and the text column it reads.</summary>
    private static (ITransformer Scorer, string TextColumn) LoadScorer(MLContext ml, string path, string textColumn, bool textColumnGiven)
    {
        if (Path.GetExtension(path).Equals(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var empty = ml.Data.LoadFromEnumerable(new[] { new TextOnly() }, SchemaFor(textColumn));
            return (ml.Transforms.Llm.ClassifyWithOnnx(path, textColumn).Fit(empty), textColumn);
        }
        var pipeline = ml.Model.Llm.Load(path, out var inputSchema);
        var texts = inputSchema?.Where(c => c.Type is TextDataViewType).Select(c => c.Name).ToList() ?? [];
        if (texts.Count == 1 && !textColumnGiven)
            return (pipeline, texts[0]);
        return (pipeline, textColumn);
    }

    /// <summary>Each row's predicted label and class probabilities, with a progress bar over the rows.</summary>
    private static (string[] Labels, string[] Classes, float[][] Probabilities) Score(CliConsole console, ITransformer scorer, IDataView data, int count, CancellationToken cancellationToken)
    {
        var scored = scorer.Transform(data);
        if (scored.Schema.GetColumnOrNull(Predicted) is { Type: KeyDataViewType })
            scored = new MLContext().Transforms.Conversion.MapKeyToValue(Predicted).Fit(scored).Transform(scored);
        var predicted = scored.Schema.GetColumnOrNull(Predicted) ?? throw new UsageException($"The model writes no {Predicted} column: it is not a classifier.");
        var score = scored.Schema.GetColumnOrNull(ScoreColumn) ?? throw new UsageException($"The model writes no {ScoreColumn} column: it is not a classifier.");
        if (predicted.Type is not TextDataViewType || score.Type is not VectorDataViewType { ItemType: NumberDataViewType, Size: > 0 })
            throw new UsageException($"The model's {Predicted} is {predicted.Type} and its {ScoreColumn} is {score.Type}: this command reads a multiclass classifier's text label and probability vector (as classify saves it).");
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        var size = ((VectorDataViewType)score.Type).Size;
        string[] classes = score.Annotations.Schema.GetColumnOrNull("SlotNames") is not null
            ? ReadSlotNames(score, ref slotNames)
            : [.. Enumerable.Range(0, size).Select(i => i.ToString(CultureInfo.InvariantCulture))];

        var labels = new string[count];
        var probabilities = new float[count][];
        RowProgressBar.Run(console, "scoring", count, report =>
        {
            using var cursor = scored.GetRowCursor([predicted, score]);
            var labelGetter = cursor.GetGetter<ReadOnlyMemory<char>>(predicted);
            var scoreGetter = cursor.GetGetter<VBuffer<float>>(score);
            ReadOnlyMemory<char> label = default;
            VBuffer<float> values = default;
            int row = 0;
            while (cursor.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                labelGetter(ref label);
                scoreGetter(ref values);
                labels[row] = label.ToString();
                probabilities[row] = values.DenseValues().ToArray();
                report(++row);
            }
            return row;
        });
        return (labels, classes, probabilities);
    }

    private static string[] ReadSlotNames(DataViewSchema.Column score, ref VBuffer<ReadOnlyMemory<char>> names)
    {
        score.GetSlotNames(ref names);
        return [.. names.DenseValues().Select(n => n.ToString())];
    }

    private static SchemaDefinition SchemaFor(string textColumn)
    {
        var definition = SchemaDefinition.Create(typeof(TextOnly));
        definition[nameof(TextOnly.Text)].ColumnName = textColumn;
        return definition;
    }

    private sealed class TextOnly
    {
        public string Text { get; set; } = "";
    }
}
