using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.Data;
using MLNetLlm.Cli.Input;
using MLNetLlm.Cli.Output;
using MLNetLlm.Topics;
using Spectre.Console;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm topics</c>: topic-models a table's text column or a folder of text files (embeddings, UMAP or PCA,
/// HDBSCAN or KMeans, c-TF-IDF words) and writes the topic table, each document's topic, the document map and top-words
/// PNGs, and a report of the metrics (NPMI coherence, diversity, outliers; NMI and ARI against <c>--label-col</c>).
/// </summary>
internal static class TopicsCommand
{
    private const string EmbeddingColumn = "__Embedding";
    private const string LabelColumn = "__Label";

    public static Command Create(CliConsole console)
    {
        var input = new TextInput(allowFolders: true, withLabel: true, labelRequired: false);
        var embedder = new EmbedderOption();
        var topics = new Option<int?>("--topics") { Description = "A number of topics for KMeans; without it HDBSCAN finds them (outliers in topic -1, then reassigned)." };
        topics.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 2) r.AddError("--topics must be at least 2."); });
        var minTopicSize = Options.Positive(new Option<int>("--min-topic-size") { Description = "HDBSCAN: the fewest documents a topic holds.", DefaultValueFactory = _ => 10 });
        var reduction = new Option<string>("--reduction") { Description = "umap or pca: how embeddings are reduced before clustering.", DefaultValueFactory = _ => "umap" };
        reduction.AcceptOnlyFromAmong("umap", "pca");
        var topWords = Options.Positive(new Option<int>("--top-words") { Description = "Words kept per topic (and counted by the metrics).", DefaultValueFactory = _ => 10 });
        var seed = new Option<int>("--seed") { Description = "Seed of the reduction and the clustering.", DefaultValueFactory = _ => 1 };
        var output = new Option<string>("--output", "-o") { Description = "Folder to write topics.csv, documents.csv, document-map.png, top-words.png, report.md and report.json.", Required = true };

        var command = new Command("topics", "Find the topics of a text column or a folder of text files: the topic table, the document map and the metrics.");
        input.AddTo(command);
        embedder.AddTo(command);
        foreach (var option in new Option[] { topics, minTopicSize, reduction, topWords, seed, output })
            command.Add(option);
        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            var rows = input.Read(parsed);
            var options = new TopicModelOptions
            {
                EmbeddingColumnName = EmbeddingColumn,
                TextColumnName = rows.TextColumn,
                Clustering = parsed.GetValue(topics) is null ? TopicClustering.Hdbscan : TopicClustering.KMeans,
                NumberOfTopics = parsed.GetValue(topics) ?? new TopicModelOptions().NumberOfTopics,
                MinClusterSize = parsed.GetValue(minTopicSize),
                Reduction = parsed.GetValue(reduction) == "pca" ? TopicReduction.Pca : TopicReduction.Umap,
                TopWords = parsed.GetValue(topWords),
                Seed = parsed.GetValue(seed),
            };
            if (rows.Count < Math.Max(3, options.Clustering == TopicClustering.KMeans ? options.NumberOfTopics : options.MinClusterSize))
                throw new UsageException($"{rows.Count} documents are too few for {(options.Clustering == TopicClustering.KMeans ? $"{options.NumberOfTopics} topics" : $"topics of at least {options.MinClusterSize} documents (--min-topic-size)")}.");
            using var staged = StagedOutput.For(parsed.GetValue(output)!);
            var ml = new MLContext(seed: parsed.GetValue(seed));
            var embedderModel = embedder.Load(ml, parsed, out var owner);
            using var _ = owner;
            var watch = Stopwatch.StartNew();
            var vectors = embedder.Embed(console, ml, parsed, rows, embedderModel, cancellationToken);
            var data = ToDataView(ml, rows, vectors, embedderModel.Dimension);

            TopicModelTransformer model = null!;
            console.Ansi.Status().Start("Reducing, clustering and describing topics...", _ => model = ml.Transforms.Llm.TopicModel(options).Fit(data));
            var documentTopics = model.Transform(data).GetColumn<int>(options.TopicColumnName).ToArray();
            var metrics = TopicMetrics.Evaluate(model, data, rows.TextColumn, rows.Labels is null ? null : LabelColumn, options.TopWords);

            var table = model.Topics.OrderBy(t => t.Id).ToList();
            TableWriter.Write(staged.File("topics.csv"), "topics.csv", ["Topic", "Size", "Name", "Words"],
                table.Select(t => (IReadOnlyList<string>)[Text(t.Id), Text(t.Size), t.Name, string.Join(' ', t.Words.Select(w => w.Word))]));
            var names = table.ToDictionary(t => t.Id, t => t.Name);
            TableWriter.Write(staged.File("documents.csv"), "documents.csv", [rows.Table is null ? "Path" : "Row", "Topic", "TopicName"],
                Enumerable.Range(0, rows.Count).Select(i => (IReadOnlyList<string>)[rows.Ids[i], Text(documentTopics[i]), names.GetValueOrDefault(documentTopics[i], "")]));
            model.SaveDocumentMap(data, staged.File("document-map.png"));
            model.SaveTopWords(staged.File("top-words.png"));
            var elapsed = watch.Elapsed;
            File.WriteAllText(staged.File("report.json"), JsonSerializer.Serialize(new
            {
                command = "topics",
                input = rows.Source,
                textColumn = rows.Table is null ? null : rows.TextColumn,
                labelColumn = rows.LabelColumn,
                documents = rows.Count,
                embedder = embedderModel.Name,
                clustering = options.Clustering.ToString(),
                reduction = options.Reduction.ToString(),
                seconds = elapsed.TotalSeconds,
                metrics,
                topics = table.Select(t => new { id = t.Id, size = t.Size, name = t.Name, words = t.Words.Select(w => w.Word) }),
            }, new JsonSerializerOptions { WriteIndented = true }));
            File.WriteAllText(staged.File("report.md"), Markdown(rows, embedderModel.Name, options, metrics, table, elapsed));
            staged.Commit();

            string agreement = metrics.NormalizedMutualInformation is double nmi
                ? string.Create(CultureInfo.InvariantCulture, $", NMI {nmi:F3}, ARI {metrics.AdjustedRandIndex:F3} against {rows.LabelColumn}")
                : "";
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{metrics.Topics} topics in {rows.Count:N0} documents: coherence (NPMI) {metrics.Coherence:F3}, diversity {metrics.Diversity:F3}, outliers {metrics.OutlierShare:P1}{agreement}."));
            foreach (var topic in table.Take(12))
                console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{topic.Size,6:N0}  {topic.Name}"));
            console.Out.WriteLine($"Wrote topics.csv, documents.csv, document-map.png, top-words.png, report.md and report.json to {staged.Folder}.");
            return Task.FromResult(0);
        });
        return command;
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>The documents with their embeddings (and labels, when given) as the topic model reads them.</summary>
    private static IDataView ToDataView(MLContext ml, TextRows rows, float[][] vectors, int dimension)
    {
        var documents = Enumerable.Range(0, rows.Count).Select(i => new Document { Text = rows.Texts[i], Label = rows.Labels?[i] ?? "", Embedding = vectors[i] }).ToList();
        var definition = SchemaDefinition.Create(typeof(Document));
        var (text, label, embedding) = (definition[nameof(Document.Text)], definition[nameof(Document.Label)], definition[nameof(Document.Embedding)]);
        text.ColumnName = rows.TextColumn;
        label.ColumnName = LabelColumn;
        embedding.ColumnName = EmbeddingColumn;
        embedding.ColumnType = new VectorDataViewType(NumberDataViewType.Single, dimension);
        return ml.Data.LoadFromEnumerable(documents, definition);
    }

    private static string Markdown(TextRows rows, string embedder, TopicModelOptions options, TopicMetrics metrics, IReadOnlyList<TopicInfo> topics, TimeSpan elapsed)
    {
        var I = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine("# Topics report").AppendLine();
        text.AppendLine(I, $"Command: `mlnetllm {string.Join(' ', Environment.GetCommandLineArgs().Skip(1))}`").AppendLine();
        text.AppendLine(I, $"{rows.Count:N0} documents from {rows.Source}, embedded with {embedder}, reduced by {options.Reduction}, clustered by {options.Clustering}, in {elapsed:hh\\:mm\\:ss}.").AppendLine();
        text.AppendLine("| metric | value |").AppendLine("| --- | --- |");
        text.AppendLine(I, $"| topics (outliers not counted) | {metrics.Topics} |");
        text.AppendLine(I, $"| coherence (mean NPMI of the top {options.TopWords} words) | {metrics.Coherence:F3} |");
        text.AppendLine(I, $"| diversity (distinct share of top words) | {metrics.Diversity:F3} |");
        text.AppendLine(I, $"| outlier share | {metrics.OutlierShare:P1} |");
        if (metrics.NormalizedMutualInformation is double nmi)
            text.AppendLine(I, $"| NMI / ARI against `{rows.LabelColumn}` | {nmi:F3} / {metrics.AdjustedRandIndex:F3} |");
        text.AppendLine().AppendLine("| topic | size | words |").AppendLine("| --- | --- | --- |");
        foreach (var topic in topics)
            text.AppendLine(I, $"| {topic.Id} | {topic.Size} | {string.Join(' ', topic.Words.Select(w => w.Word))} |");
        text.AppendLine().AppendLine("![document map](document-map.png)").AppendLine().AppendLine("![top words](top-words.png)");
        return text.ToString();
    }

    private sealed class Document
    {
        public string Text { get; set; } = "";
        public string Label { get; set; } = "";
        public float[] Embedding { get; set; } = [];
    }
}
