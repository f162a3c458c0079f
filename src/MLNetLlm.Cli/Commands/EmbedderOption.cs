using System.CommandLine;
using Microsoft.ML;
using MLNetLlm.Cli.Input;
using MLNetLlm.Embeddings;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// The <c>--model</c> of the commands that embed: <c>minilm</c> (the bundled all-MiniLM-L6-v2), <c>arctic-xs</c>
/// (the bundled arctic-embed-xs), or a GPT folder (ours or a Hugging Face GPT-2 folder, mean-pooled hidden states);
/// and <c>--first-window-only</c>, since whole documents are embedded by default.
/// </summary>
internal sealed class EmbedderOption
{
    public Option<string> Model { get; } = new("--model", "-m")
    {
        Description = "minilm (bundled all-MiniLM-L6-v2), arctic-xs (bundled arctic-embed-xs) or a GPT folder (ours or a Hugging Face GPT-2 folder).",
        DefaultValueFactory = _ => "minilm",
    };

    public Option<bool> FirstWindowOnly { get; } = new("--first-window-only") { Description = "Embed only each text's first window (model context); by default long texts are read whole, in windows." };

    public Option<int> BatchSize { get; } = Options.Positive(new Option<int>("--batch-size") { Description = "Texts per model call.", DefaultValueFactory = _ => 32 });

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(FirstWindowOnly);
        command.Add(BatchSize);
        command.Validators.Add(r =>
        {
            if (r.GetValue(Model) is string model && model is not ("minilm" or "arctic-xs") && !Directory.Exists(model))
                r.AddError($"Unknown model '{model}': give minilm, arctic-xs or an existing GPT folder.");
        });
    }

    /// <summary>The embedder the command line names; the caller disposes it (a bundled one ignores that).</summary>
    public TextEmbedder Load(MLContext ml, ParseResult parsed, out IDisposable? owner) => Load(ml, parsed.GetValue(Model)!, out owner);

    /// <summary>The embedder <paramref name="model"/> names (minilm, arctic-xs or a GPT folder); the caller disposes <paramref name="owner"/>.</summary>
    public static TextEmbedder Load(MLContext ml, string model, out IDisposable? owner)
    {
        owner = null;
        switch (model)
        {
            case "minilm": return SentenceEmbedders.MiniLmL6V2();
            case "arctic-xs": return SentenceEmbedders.ArcticEmbedXs();
        }
        if (!Directory.Exists(model))
            throw new UsageException($"Unknown model '{model}': give minilm, arctic-xs or an existing GPT folder.");
        DecoderModel.RequireGpt(model, "embedding", "minilm, arctic-xs or a GPT folder (ours or a Hugging Face GPT-2 folder)");
        var gpt = ml.Transforms.Llm.LoadGpt(Path.GetFullPath(model)).Transformer;
        owner = gpt;
        return new GptTextEmbedder(gpt.Model, gpt.Tokenizer ?? throw new UsageException($"The GPT folder {model} has no tokenizer to read texts with."));
    }

    /// <summary>Embeds every row's text through <c>EmbedText</c>, with a progress bar over the rows.</summary>
    public float[][] Embed(CliConsole console, MLContext ml, ParseResult parsed, TextRows rows, TextEmbedder embedder, CancellationToken cancellationToken)
    {
        const string column = "__Embedding";
        var data = rows.ToDataView(ml);
        var embedded = ml.Transforms.Llm.EmbedText(new EmbedTextOptions
        {
            InputColumnName = rows.TextColumn,
            OutputColumnName = column,
            Embedder = embedder,
            BatchSize = parsed.GetValue(BatchSize),
            LongTexts = parsed.GetValue(FirstWindowOnly) ? LongTextOptions.FirstWindowOnly : LongTextOptions.Default,
        }).Fit(data).Transform(data);
        var vectors = new float[rows.Count][];
        RowProgressBar.Run(console, "embedding", rows.Count, report =>
        {
            var vectorColumn = embedded.Schema[column];
            using var cursor = embedded.GetRowCursor([vectorColumn]);
            var getter = cursor.GetGetter<Microsoft.ML.Data.VBuffer<float>>(vectorColumn);
            Microsoft.ML.Data.VBuffer<float> vector = default;
            int row = 0;
            while (cursor.MoveNext())
            {
                cancellationToken.ThrowIfCancellationRequested();
                getter(ref vector);
                vectors[row] = vector.DenseValues().ToArray();
                report(++row);
            }
            return row;
        });
        return vectors;
    }
}
