using System.Diagnostics;
using MLNetLlm.Kit;
using MLNetLlm.TorchSharp.Classification;
using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML.Trainers;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// The trainer of <c>mlContext.MulticlassClassification.Trainers.Llm.SetFit</c> (key label) and
/// <c>mlContext.BinaryClassification.Trainers.Llm.SetFit</c> (Boolean label): <see cref="Fit"/> fine-tunes a copy of
/// the base encoder contrastively on pairs generated from the labelled texts (<see cref="SetFitOptions"/>), embeds the
/// texts with it and trains ML.NET's L-BFGS logistic regression on the embeddings.
/// </summary>
/// <remarks>
/// Trainer characteristics. Input: a text column and the label column. Output: the embedding column
/// (<see cref="SetFitOptions.EmbeddingColumnName"/>) and the head's standard columns: multiclass <c>Score</c>
/// (Vector&lt;Single&gt; of class probabilities) and <c>PredictedLabel</c> (key); binary <c>Score</c>,
/// <c>Probability</c> and <c>PredictedLabel</c> (Boolean), which ML.NET's evaluators read as they are. Checked before any
/// training: the options, both columns and their types. Checked on the data: no empty text, at least two classes.
/// ONNX: the encoder exports as an embedder (<c>Encoder.ExportToOnnx</c>); the head is ML.NET's.
/// </remarks>
public sealed class SetFitEstimator : IEstimator<SetFitTransformer>
{
    internal const string Component = "SetFit";

    private readonly IHostEnvironment _environment;
    private readonly SetFitOptions _options;
    private readonly bool _binary;

    internal SetFitEstimator(IHostEnvironment environment, SetFitOptions options, bool binary)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
        _binary = binary;
    }

    /// <summary>The options the estimator was made with.</summary>
    public SetFitOptions Options => _options;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireText(inputSchema, _options.TextColumnName, Component);
        SetFitLabels.Check(inputSchema, _options.LabelColumnName, _binary);
        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (var column in SetFitLabels.OutputShape(_options.EmbeddingColumnName, _binary))
            columns[column.Name] = column;
        return new SchemaShape(columns.Values);
    }

    /// <summary>Fine-tunes the encoder and trains the head on <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentException">A missing or mistyped column, no labelled row, a single class, or an empty text.</exception>
    /// <exception cref="OperationCanceledException"><see cref="SetFitOptions.CancellationToken"/> was cancelled.</exception>
    /// <exception cref="Training.TrainingDivergedException">The contrastive loss became NaN or infinite.</exception>
    public SetFitTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var watch = Stopwatch.StartNew();
        var labels = SetFitLabels.Of(input.Schema, _options.TextColumnName, _options.LabelColumnName, _binary, "training data");
        if (_options.ValidationSet is { } validationSet)
            SetFitLabels.Of(validationSet.Schema, _options.TextColumnName, _options.LabelColumnName, _binary, "ValidationSet");
        int seed = _environment.NextSeed(Component, _options.Seed);
        var (encoder, description) = BaseEncoders.Load(_options.BaseModelPath, _options.BaseEncoder, "SetFit");
        SentenceEmbedderTransformer? embedding = null;
        try
        {
            var table = new PairTable(encoder.Tokenizer, encoder.MaxTokens);
            var (rows, skipped) = ReadPairs(input, labels, table, seed, "training");
            var train = table.Build(hasNegatives: false);
            ContrastivePairs? validation = null;
            if (_options.ValidationSet is { } v)
            {
                var validationTable = new PairTable(encoder.Tokenizer, encoder.MaxTokens);
                ReadPairs(v, labels, validationTable, unchecked(seed + 1), "validation");
                validation = validationTable.Build(hasNegatives: false);
            }
            Log($"SetFit from {description}: {train.Pairs.Count:N0} pairs from {rows:N0} texts of {labels.Names.Count} classes ({_options.PairIterations} rounds)" +
                (skipped > 0 ? $"; {skipped} rows without a label skipped." : "."));
            var history = SentenceEmbedderTrainer.Train(encoder, train, validation, SentenceEmbeddingLoss.CosineSimilarity, 20, _options.Training with { Seed = seed },
                _options.Progress, Log, _options.CancellationToken);
            var report = new SentenceEmbedderReport(history, SentenceEmbeddingLoss.CosineSimilarity, rows, train.Pairs.Count, validation?.Pairs.Count ?? 0, skipped, table.Truncated, watch.Elapsed);
            embedding = new SentenceEmbedderTransformer(
                EmbedTextStage.Create(_environment, encoder, _options.TextColumnName, _options.EmbeddingColumnName, _options.EmbeddingBatchSize), report);
            var (head, headSchema) = TrainHead(embedding, input, seed);
            Log($"SetFit trained in {watch.Elapsed:hh\\:mm\\:ss}: {history.Records.Count} contrastive steps, then the logistic-regression head.");
            return new SetFitTransformer(embedding, head, headSchema, labels.Names, _binary);
        }
        catch
        {
            if (embedding is not null) embedding.Dispose();
            else encoder.Dispose();
            throw;
        }
    }

    private (int Rows, int Skipped) ReadPairs(IDataView data, ClassifierLabels labels, PairTable table, int seed, string set)
    {
        var (texts, classes, skipped) = PairColumns.ReadLabelled(data, _options.TextColumnName, _options.LabelColumnName,
            (row, column) => labels.CreateReader(row, column), table, set, _options.CancellationToken);
        if (texts.Count == 0)
            throw new ArgumentException($"{Component}: the {set} data has no row with a label in '{_options.LabelColumnName}': there is nothing to learn from.");
        var present = classes.Distinct().ToList();
        if (present.Count < 2)
            throw new ArgumentException($"{Component}: the {set} data has a single class in label '{_options.LabelColumnName}' ('{labels.Names[present[0]]}'): " +
                "SetFit's pairs need a negative of another class, and its head at least two classes to tell apart.");
        foreach (var pair in LabelPairs.Generate(texts, classes, _options.PairIterations, triples: false, seed))
            table.Add(pair);
        return (texts.Count, skipped);
    }

    // ML.NET's own L-BFGS logistic regression on the fine-tuned embeddings of the training rows (cached: L-BFGS reads them many times).
    // L2 only, as SetFit's scikit-learn head: ML.NET's default L1 of 1 sets every weight to 0 on a few dozen unit-length
    // embeddings, so every row would get the same score.
    private (ITransformer Head, DataViewSchema InputSchema) TrainHead(SentenceEmbedderTransformer embedding, IDataView input, int seed)
    {
        var ml = new MLContext(seed);
        var embedded = ml.Data.Cache(embedding.Transform(input), _options.EmbeddingColumnName, _options.LabelColumnName);
        ITransformer head = _binary
            ? ml.BinaryClassification.Trainers.LbfgsLogisticRegression(new LbfgsLogisticRegressionBinaryTrainer.Options
            {
                LabelColumnName = _options.LabelColumnName,
                FeatureColumnName = _options.EmbeddingColumnName,
                L1Regularization = 0,
                L2Regularization = _options.HeadL2Regularization,
                NumberOfThreads = 1,
            }).Fit(embedded)
            : ml.MulticlassClassification.Trainers.LbfgsMaximumEntropy(new LbfgsMaximumEntropyMulticlassTrainer.Options
            {
                LabelColumnName = _options.LabelColumnName,
                FeatureColumnName = _options.EmbeddingColumnName,
                L1Regularization = 0,
                L2Regularization = _options.HeadL2Regularization,
                NumberOfThreads = 1,
            }).Fit(embedded);
        return (head, embedded.Schema);
    }

    private void Log(string message) => _environment.LogInfo(Component, message);
}
