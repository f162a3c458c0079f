using System.Diagnostics;
using System.Globalization;
using MLNetLlm.Kit;
using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.TrainSentenceEmbedder</c>: <see cref="Fit"/> copies the base encoder,
/// trains it contrastively on the pairs of the data (or pairs generated from its labels) with the shared training
/// loop, and returns a <see cref="SentenceEmbedderTransformer"/> that embeds a text column with it.
/// </summary>
/// <remarks>
/// Input: text columns (anchor and positive, an optional hard negative and target; or a text and a label). Output: the
/// vector column <see cref="TrainSentenceEmbedderOptions.OutputColumnName"/> of the embedded column. Checked before
/// any training (in <see cref="GetOutputSchema"/> and at the start of <see cref="Fit"/>): the options, every column
/// and its type. Checked on the data: no empty text, at least two pairs for MultipleNegativesRankingLoss without hard
/// negatives, at least two classes for labels.
/// </remarks>
public sealed class TrainSentenceEmbedderEstimator : IEstimator<SentenceEmbedderTransformer>
{
    internal const string Component = "TrainSentenceEmbedder";

    private readonly IHostEnvironment _environment;
    private readonly TrainSentenceEmbedderOptions _options;

    internal TrainSentenceEmbedderEstimator(IHostEnvironment environment, TrainSentenceEmbedderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <summary>The options the estimator was made with.</summary>
    public TrainSentenceEmbedderOptions Options => _options;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        PairColumns.Check(inputSchema, _options, Component);
        var columns = inputSchema.ToDictionary(c => c.Name);
        columns[_options.OutputColumnName] = MLNetInternals.Column(_options.OutputColumnName, SchemaShape.Column.VectorKind.Vector, NumberDataViewType.Single, false);
        return new SchemaShape(columns.Values);
    }

    /// <summary>Trains the embedder on <paramref name="input"/>; progress goes to <see cref="TrainSentenceEmbedderOptions.Progress"/> and the context's log.</summary>
    /// <exception cref="ArgumentException">A missing or mistyped column, an empty text, a single pair for
    /// MultipleNegativesRankingLoss without hard negatives, a single class, or a target outside [-1, 1].</exception>
    /// <exception cref="OperationCanceledException"><see cref="TrainSentenceEmbedderOptions.CancellationToken"/> was cancelled.</exception>
    /// <exception cref="Training.TrainingDivergedException">The loss became NaN or infinite.</exception>
    public SentenceEmbedderTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var watch = Stopwatch.StartNew();
        PairColumns.Check(input.Schema, _options, Component);
        if (_options.ValidationSet is { } validationSet)
        {
            try
            {
                PairColumns.Check(validationSet.Schema, _options with { InputColumnName = null }, Component);
            }
            catch (ArgumentException e)
            {
                throw new ArgumentException($"{Component}: the ValidationSet does not fit: {e.Message}", nameof(TrainSentenceEmbedderOptions.ValidationSet), e);
            }
        }
        int seed = _environment.NextSeed(Component, _options.Seed);
        var (encoder, description) = BaseEncoders.Load(_options.BaseModelPath, _options.BaseEncoder, $"{_options.Loss}");
        try
        {
            var report = Train(encoder, input, seed, description, watch);
            var embedding = EmbedTextStage.Create(_environment, encoder, _options.EmbeddedColumnName, _options.OutputColumnName, _options.EmbeddingBatchSize);
            return new SentenceEmbedderTransformer(embedding, report);
        }
        catch
        {
            encoder.Dispose();
            throw;
        }
    }

    private SentenceEmbedderReport Train(PretrainedEncoder encoder, IDataView input, int seed, string description, Stopwatch watch)
    {
        var table = new PairTable(encoder.Tokenizer, encoder.MaxTokens);
        var (rows, skipped, classes) = PairColumns.Read(input, _options, table, seed, "training", _options.CancellationToken);
        // Cosine pairs carry their negatives as pairs of target 0; only the ranking loss reads a third text.
        bool ranking = _options.Loss == SentenceEmbeddingLoss.MultipleNegativesRanking;
        var train = table.Build(hasNegatives: ranking && (_options.FromLabels || _options.NegativeColumnName is not null));
        ContrastivePairs? validation = null;
        if (_options.ValidationSet is { } validationSet)
        {
            var validationTable = new PairTable(encoder.Tokenizer, encoder.MaxTokens);
            PairColumns.Read(validationSet, _options, validationTable, unchecked(seed + 1), "validation", _options.CancellationToken);
            validation = validationTable.Build(train.HasNegatives);
        }
        var training = _options.Training with { Seed = seed };
        Log($"Training {description} with {_options.Loss} on {train.Pairs.Count:N0} pairs" +
            (_options.FromLabels ? $" generated from {rows:N0} texts of {classes} classes ({_options.PairIterations} rounds)" : $" from {rows:N0} rows") +
            (validation is null ? "" : $", validating on {validation.Pairs.Count:N0}") +
            (skipped > 0 ? $"; {skipped} rows without a label skipped" : "") +
            (table.Truncated > 0 ? $"; {table.Truncated} texts cut to {encoder.MaxTokens} word pieces" : "") + ".");
        var history = SentenceEmbedderTrainer.Train(encoder, train, validation, _options.Loss, _options.Scale, training, _options.Progress, Log, _options.CancellationToken);
        var report = new SentenceEmbedderReport(history, _options.Loss, rows, train.Pairs.Count, validation?.Pairs.Count ?? 0, skipped, table.Truncated, watch.Elapsed);
        Log($"Trained in {watch.Elapsed:hh\\:mm\\:ss}: {history.Records.Count} steps, loss per epoch " +
            string.Join(", ", report.EpochLosses.Select(l => l.ToString("F4", CultureInfo.InvariantCulture))) + $", stopped by {history.StopReason}.");
        return report;
    }

    private void Log(string message) => _environment.LogInfo(Component, message);
}
