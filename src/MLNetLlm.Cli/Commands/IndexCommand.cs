using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML;
using MLNetLlm.Cli.Input;
using MLNetLlm.Cli.Output;
using MLNetLlm.Cli.Search;
using MLNetLlm.Search;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// <c>mlnetllm index</c>: cuts a table's text column or a folder of text files into passages (<see cref="TextChunker"/>),
/// embeds them into a vector index and, unless <c>--no-keyword</c>, keeps them for BM25; writes the index folder
/// (<see cref="IndexFolder"/>) and its report.
/// </summary>
internal static class IndexCommand
{
    public static Command Create(CliConsole console)
    {
        var input = new TextInput(allowFolders: true, withLabel: false);
        var embedder = new EmbedderOption();
        var output = new Option<string>("--output", "-o") { Description = "The index folder to write (read by search and ask).", Required = true };
        var chunking = new Option<ChunkingMode>("--chunking") { Description = "Cut documents by whole Sentences or Paragraphs packed up to --max-tokens, or in Tokens windows.", DefaultValueFactory = _ => ChunkingMode.Sentences };
        var maxTokens = Options.Positive(new Option<int>("--max-tokens") { Description = "Most tokens a passage.", DefaultValueFactory = _ => 128 });
        var overlap = new Option<int>("--overlap") { Description = "Tokens consecutive windows share (--chunking Tokens).", DefaultValueFactory = _ => 16 };
        overlap.Validators.Add(r => { if (r.GetValueOrDefault<int>() < 0) r.AddError("--overlap must be 0 or more."); });
        var noKeyword = new Option<bool>("--no-keyword") { Description = "Build the vector index only (no BM25 keyword search)." };

        var command = new Command("index", "Cut documents into passages and build a vector (and BM25 keyword) index folder for search and ask.");
        input.AddTo(command);
        embedder.AddTo(command);
        command.Add(chunking);
        command.Add(maxTokens);
        command.Add(overlap);
        command.Add(noKeyword);
        command.Add(output);
        CommandRunner.SetBody(command, console, (parsed, cancellationToken) =>
        {
            if (parsed.GetValue(overlap) >= parsed.GetValue(maxTokens))
                throw new UsageException("--overlap must be smaller than --max-tokens.");
            var rows = input.Read(parsed);
            var target = Path.GetFullPath(parsed.GetValue(output)!);
            if (File.Exists(target))
                throw new UsageException($"The output {target} is a file; give a folder.");
            using var staged = StagedOutput.For(target);
            var options = new ChunkingOptions { Mode = parsed.GetValue(chunking), MaxTokens = parsed.GetValue(maxTokens), Overlap = parsed.GetValue(overlap) };
            var passages = TextChunker.Split(rows.Ids.Zip(rows.Texts), options).ToList();
            if (passages.Count == 0)
                throw new UsageException($"The documents of {rows.Source} hold no text to index.");

            var ml = new MLContext(seed: 1);
            var model = embedder.Load(ml, parsed, out var owner);
            using var _ = owner;
            var watch = Stopwatch.StartNew();
            int batch = parsed.GetValue(embedder.BatchSize);
            var documents = RowProgressBar.Run(console, "embedding passages", passages.Count, report =>
            {
                var done = new List<VectorDocument>(passages.Count);
                foreach (var chunk in passages.Chunk(batch))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var vectors = model.Embed([.. chunk.Select(p => p.Text)]);
                    done.AddRange(chunk.Select((p, i) => new VectorDocument(p.Id, vectors[i], p.Text, null, p.SourceId, p.Start, p.Length)));
                    report(done.Count);
                }
                return done;
            });
            using var index = VectorIndex.Build(documents, embedder: model);
            var vectorFolder = Path.Combine(staged.Staging, "vectors");
            index.Save(vectorFolder);
            foreach (var file in Directory.GetFiles(vectorFolder))
                File.Move(file, staged.File(Path.GetFileName(file)));
            bool keyword = !parsed.GetValue(noKeyword);
            if (keyword)
                IndexFolder.WritePassages(staged.File(IndexFolder.PassagesFile), passages);
            var modelName = parsed.GetValue(embedder.Model)!;
            var manifest = new IndexManifest(Directory.Exists(modelName) ? Path.GetFullPath(modelName) : modelName, keyword, rows.Source,
                rows.Count, passages.Count, options.Mode.ToString(), options.MaxTokens, options.Overlap);
            File.WriteAllText(staged.File(IndexFolder.ManifestFile), JsonSerializer.Serialize(manifest, new JsonSerializerOptions { WriteIndented = true }));
            var report = new
            {
                command = "index",
                input = rows.Source,
                documents = rows.Count,
                passages = passages.Count,
                model = model.Name,
                dimension = model.Dimension,
                engine = index.Engine.ToString(),
                keyword,
                seconds = watch.Elapsed.TotalSeconds,
                output = target,
            };
            File.WriteAllText(staged.File("report.json"), JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            staged.Commit();
            console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"Indexed {rows.Count:N0} documents as {passages.Count:N0} passages ({model.Name}, {index.Engine}{(keyword ? " + BM25" : "")}) in {watch.Elapsed.TotalSeconds:F1} s; written to {target}."));
            return Task.FromResult(0);
        });
        return command;
    }
}
