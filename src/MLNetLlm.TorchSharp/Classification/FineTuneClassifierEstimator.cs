using System.Diagnostics;
using System.Globalization;
using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// The trainer of <c>mlContext.MulticlassClassification.Trainers.Llm.FineTuneGpt</c> / <c>FineTuneEncoder</c> (key
/// label) and their <c>mlContext.BinaryClassification.Trainers.Llm</c> twins (Boolean label): <see cref="Fit"/> puts a
/// classification head on a backbone (a GPT: the shipped model, a checkpoint, a Hugging Face GPT-2 folder or a GPT in
/// memory; an encoder: a packaged or local BERT-family model), fine-tunes it on the labelled texts with the shared
/// training loop and returns a <see cref="TextClassifierTransformer"/>.
/// </summary>
/// <remarks>
/// <para>Trainer characteristics. Input: a text column (or token ids with their mask) and the label column. Output:
/// multiclass <c>Score</c> (Vector&lt;Single&gt; of class probabilities, slot names = class names) and
/// <c>PredictedLabel</c> (key, key values = class names); binary <c>Score</c> (Single, log-odds of True),
/// <c>Probability</c> (Single) and <c>PredictedLabel</c> (Boolean). Needs normalization: no. Caching: no (the rows are
/// read once, tokenized, into memory). ONNX: through MLNetLlm's exporter (the transformer's <c>Classifier</c>).</para>
/// <para>Checked before any training: the columns and their types, the options, the tokenizer against the base model.
/// Checked on the data: at least one labelled row and at least two classes among them.</para>
/// </remarks>
public sealed class FineTuneClassifierEstimator : IEstimator<TextClassifierTransformer>
{
    private readonly string _component; // the catalog name the user called, to start every message with
    private readonly IHostEnvironment _environment;
    private readonly FineTuneClassifierOptions _options;
    private readonly bool _binary;
    private readonly Func<BaseBackbone> _loadBase;

    /// <param name="environment">Seeds and log.</param>
    /// <param name="options">Validated here.</param>
    /// <param name="binary">A Boolean label rather than a key.</param>
    /// <param name="loadBase">Loads a fresh backbone the classifier will own, with the tokenizer of its ids (checked
    /// against <see cref="FineTuneClassifierOptions.Tokenizer"/>), when <see cref="Fit"/> starts.</param>
    internal FineTuneClassifierEstimator(IHostEnvironment environment, FineTuneClassifierOptions options, bool binary, Func<BaseBackbone> loadBase)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
        _binary = binary;
        _component = options is FineTuneEncoderOptions ? "FineTuneEncoder" : "FineTuneGpt";
        _loadBase = loadBase;
    }

    /// <summary>The options the estimator was made with.</summary>
    public FineTuneClassifierOptions Options => _options;

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ClassifierColumns.Check(inputSchema, _options.ToTransformerOptions(null), hasTokenizer: true, _component);
        ClassifierLabels.Check(inputSchema, _options.LabelColumnName, _binary, _component);
        var columns = inputSchema.ToDictionary(c => c.Name);
        foreach (var column in OutputShape())
            columns[column.Name] = column;
        return new SchemaShape(columns.Values);
    }

    /// <summary>Fine-tunes the classifier on <paramref name="input"/>; progress goes to <see cref="FineTuneClassifierOptions.Progress"/> and the context's log.</summary>
    /// <exception cref="ArgumentException">A missing or mistyped column, no labelled row, a single class, a tokenizer of
    /// another vocabulary, or an option that does not fit the base model (such as a LoRA rank above its width).</exception>
    /// <exception cref="OperationCanceledException"><see cref="FineTuneClassifierOptions.CancellationToken"/> was cancelled.</exception>
    /// <exception cref="Training.TrainingDivergedException">The loss became NaN or infinite.</exception>
    public TextClassifierTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var watch = Stopwatch.StartNew();
        _ = new ClassifierColumns(input.Schema, _options.ToTransformerOptions(null), hasTokenizer: true, _component);
        var labels = ClassifierLabels.Of(input.Schema, _options.LabelColumnName, _binary, _component);
        if (_options.ValidationSet is { } validationSet)
            CheckValidationSet(validationSet.Schema, labels);
        int seed = _environment.NextSeed(_component, _options.Seed);
        var (model, tokenizer, description, baseLength) = _loadBase();
        TextClassifier? classifier = null;
        try
        {
            var pooling = _options.Pooling ?? (model.IsCausal ? EmbeddingPooling.LastToken : EmbeddingPooling.Mean);
            classifier = new TextClassifier(model, labels.Names.Count, pooling, seed: (ulong)(uint)seed);
            int? length = _options.Training.MaxSequenceLength ?? baseLength;
            var columnOptions = _options.ToTransformerOptions(length);
            var columns = new ClassifierColumns(input.Schema, columnOptions, tokenizer is not null, _component);
            int maximumLength = length ?? model.MaxLength;
            if (maximumLength > model.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(ClassifierTrainingOptions.MaxSequenceLength), maximumLength, $"MaxSequenceLength {maximumLength} is larger than the base model's context ({model.MaxLength}).");
            var train = ClassifierRows.Read(input, columns, labels, _options.LabelColumnName, tokenizer, maximumLength, model.VocabularySize, _options.CancellationToken);
            var counts = CheckTrainingRows(train, labels);
            var validation = _options.ValidationSet is { } v
                ? ClassifierRows.Read(v, new ClassifierColumns(v.Schema, columnOptions, tokenizer is not null, _component), labels, _options.LabelColumnName, tokenizer, maximumLength, model.VocabularySize, _options.CancellationToken)
                : null;
            if (validation is { Examples.Count: 0 })
                throw new ArgumentException($"{_component}: the ValidationSet has no row with a label in '{_options.LabelColumnName}'.", nameof(FineTuneClassifierOptions.ValidationSet));

            var weights = _options.BalanceClasses
                ? ClassifierTrainingOptions.BalancedClassWeights(train.Examples.Select(e => e.Label), labels.Names.Count)
                : _options.Training.ClassWeights;
            var training = _options.Training with { Seed = seed, ClassWeights = weights, MaxSequenceLength = maximumLength };
            Log($"Fine-tuning a {labels.Names.Count}-class classifier ({training.Parameters}) from {description} on {train.Examples.Count:N0} rows" +
                (validation is null ? "" : $", validating on {validation.Examples.Count:N0}") +
                $"; classes {string.Join(", ", labels.Names.Select((n, i) => $"{n}: {counts[i]}"))}" +
                (train.Skipped > 0 ? $"; {train.Skipped} rows without a label skipped" : "") +
                (train.Truncated > 0 ? $"; {train.Truncated} rows cut to {maximumLength} tokens" : "") + ".");
            var history = TextClassifierTrainer.Train(classifier, train.Examples, validation?.Examples, training, _options.Progress, Log, _options.CancellationToken);
            classifier.MergeLora();
            var report = new FineTuneReport(history, train.Examples.Count, validation?.Examples.Count ?? 0,
                train.Skipped + (validation?.Skipped ?? 0), counts, weights?.Select(w => (float)w).ToArray(), train.Truncated, watch.Elapsed);
            var best = history.BestValidationLoss is { } loss ? string.Create(CultureInfo.InvariantCulture, $", best validation loss {loss:F4}") : "";
            Log($"Fine-tuned in {watch.Elapsed:hh\\:mm\\:ss}: {history.Records.Count} steps, stopped by {history.StopReason}{best}.");
            return new TextClassifierTransformer(classifier, tokenizer, labels, columnOptions, report);
        }
        catch
        {
            if (classifier is not null) classifier.Dispose();
            else model.Dispose();
            throw;
        }
    }

    private void CheckValidationSet(DataViewSchema schema, ClassifierLabels labels)
    {
        try
        {
            var validationLabels = ClassifierLabels.Of(schema, _options.LabelColumnName, _binary, _component);
            if (validationLabels.Names.Count != labels.Names.Count)
                throw new ArgumentException($"its label '{_options.LabelColumnName}' has {validationLabels.Names.Count} classes, the training data's {labels.Names.Count}" +
                    (validationLabels.Names.Except(labels.Names).ToList() is [_, ..] unseen ? $" (never seen in training: {string.Join(", ", unseen.Select(n => $"'{n}'"))})" : "") +
                    ": map both with the same MapValueToKey transformer");
            _ = new ClassifierColumns(schema, _options.ToTransformerOptions(null), hasTokenizer: true, _component);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{_component}: the ValidationSet does not fit the training data: {e.Message}", nameof(FineTuneClassifierOptions.ValidationSet), e);
        }
    }

    private int[] CheckTrainingRows(ClassifierRows train, ClassifierLabels labels)
    {
        if (train.Examples.Count == 0)
            throw new ArgumentException(train.Skipped == 0
                ? $"{_component}: the training data has no rows: there is nothing to learn from."
                : $"{_component}: every training row's label '{_options.LabelColumnName}' is missing (key 0): there is nothing to learn from.", "input");
        var counts = new int[labels.Names.Count];
        foreach (var example in train.Examples)
            counts[example.Label]++;
        if (counts.Count(c => c > 0) < 2)
            throw new ArgumentException($"{_component}: the training data has a single class in label '{_options.LabelColumnName}' ('{labels.Names[Array.FindIndex(counts, c => c > 0)]}'): a classifier needs examples of at least two classes.", "input");
        return counts;
    }

    /// <summary>The added columns as shapes, with the annotations ML.NET's <c>MapKeyToValue</c> and evaluators look for.</summary>
    private IEnumerable<SchemaShape.Column> OutputShape()
    {
        var single = NumberDataViewType.Single;
        if (_binary)
        {
            yield return MLNetInternals.Column(ClassifierColumns.ScoreColumnName, SchemaShape.Column.VectorKind.Scalar, single, false);
            yield return MLNetInternals.Column(ClassifierColumns.ProbabilityColumnName, SchemaShape.Column.VectorKind.Scalar, single, false);
            yield return MLNetInternals.Column(ClassifierColumns.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, BooleanDataViewType.Instance, false);
            yield break;
        }
        var names = MLNetInternals.Column(ClassifierColumns.SlotNamesKind, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false);
        var keyValues = MLNetInternals.Column(ClassifierColumns.KeyValuesKind, SchemaShape.Column.VectorKind.Vector, TextDataViewType.Instance, false);
        var key = NumberDataViewType.UInt32; // a key shape holds the raw type: PredictedLabel is a UInt32 key of the class count
        yield return MLNetInternals.Column(ClassifierColumns.ScoreColumnName, SchemaShape.Column.VectorKind.Vector, single, false, new SchemaShape([names]));
        yield return MLNetInternals.Column(ClassifierColumns.PredictedLabelColumnName, SchemaShape.Column.VectorKind.Scalar, key, true, new SchemaShape([keyValues]));
    }

    private void Log(string message) => _environment.LogInfo(_component, message);
}

/// <summary>
/// A backbone a classifier may own, the tokenizer of its ids (null when the model folder has none), a description for
/// the log, and the length its authors run it at (the default maximum length; null: the backbone's own).
/// </summary>
internal readonly record struct BaseBackbone(ITextBackbone Backbone, LlmTokenizer? Tokenizer, string Description, int? MaxLength = null);
