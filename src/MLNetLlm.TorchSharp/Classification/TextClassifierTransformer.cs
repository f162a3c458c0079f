using MLNetLlm.Embeddings;
using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.TorchSharp.Classification.TextClassifierTransformer.Loader))]

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// A fine-tuned GPT text classifier in an ML.NET pipeline, made by fitting
/// <c>mlContext.MulticlassClassification.Trainers.Llm.FineTuneGpt</c> or its binary twin. It adds the columns ML.NET's
/// evaluators read: <c>Score</c> (class probabilities, with the class names as slot names) and <c>PredictedLabel</c>
/// (a key with the class names as key values, so <c>MapKeyToValue</c> restores the label) for multiclass;
/// <c>Score</c> (log-odds of True), <c>Probability</c> and <c>PredictedLabel</c> (Boolean) for binary.
/// </summary>
/// <remarks>
/// <para>Input: the text column (tokenized with <see cref="Tokenizer"/>) or a token-id column, as in <see cref="Options"/>.
/// Rows longer than <see cref="MaximumLength"/> tokens keep their first ones; an empty or missing text is scored as the
/// single end-of-text token. The label column is not read when scoring. <see cref="Transform"/> is lazy and scores
/// <see cref="TextClassifierTransformerOptions.BatchSize"/> rows per model call; <c>CreatePredictionEngine</c> works,
/// one row a call. Save it with <c>mlContext.Model.Llm.Save</c>.</para>
/// <para>For an ONNX exporter: <see cref="Classifier"/> maps right-padded ids and a mask to class logits (softmax gives
/// <c>Score</c>), with <see cref="Tokenizer"/>, <see cref="ClassLabels"/>, <see cref="Pooling"/> and <see cref="MaximumLength"/>.</para>
/// <para>The transformer owns the model's native memory: dispose it when done. Scoring calls take turns on the model.</para>
/// </remarks>
public sealed class TextClassifierTransformer : ITransformer, ILlmPersistable, IDisposable
{
    internal const string Kind = "MLNetLlm.GptClassifier"; // the kind of files saved before other families: kept so they load
    private const string SettingsFile = "classifier.json";
    private const string ModelFolder = "model";
    private const string TokenizerFolder = "tokenizer";

    private readonly Lock _modelLock = new();
    private bool _disposed;

    internal TextClassifierTransformer(TextClassifier classifier, LlmTokenizer? tokenizer, ClassifierLabels labels,
        TextClassifierTransformerOptions options, FineTuneReport? training = null)
    {
        options.Validate();
        int context = classifier.Backbone.MaxLength;
        if (options.MaximumLength > context)
            throw new ArgumentOutOfRangeException(nameof(options), options.MaximumLength, $"MaximumLength {options.MaximumLength} is larger than the model's context ({context}).");
        if (labels.Names.Count != classifier.ClassCount)
            throw new ArgumentException($"The classifier has {classifier.ClassCount} outputs but {labels.Names.Count} class labels.", nameof(labels));
        Classifier = classifier;
        Tokenizer = tokenizer;
        Labels = labels;
        Options = options;
        Training = training;
        classifier.eval();
        InferencePrecision.ApplyBatched(classifier, options.Precision);
    }

    /// <summary>The GPT with its classification head: right-padded ids (B, T) and mask (B, T) in, class logits (B, classes) out.
    /// The transformer owns it: do not dispose it yourself.</summary>
    public TextClassifier Classifier { get; }

    /// <summary>The tokenizer of the model's ids; null for a model without one (then only token columns are read).</summary>
    public LlmTokenizer? Tokenizer { get; }

    /// <summary>The input columns, the maximum length and the scoring batch size.</summary>
    public TextClassifierTransformerOptions Options { get; }

    /// <summary>True for a binary classifier (Boolean label); false for multiclass.</summary>
    public bool IsBinary => Labels.IsBinary;

    /// <summary>The class names in output order: <c>"False"</c>, <c>"True"</c> for binary; the label's key values as
    /// text for multiclass (class i is key i + 1).</summary>
    public IReadOnlyList<string> ClassLabels => Labels.Names;

    /// <summary>How token states are pooled into one vector per text.</summary>
    public EmbeddingPooling Pooling => Classifier.Pooling;

    /// <summary>The most tokens of a row the model reads; longer rows keep their first tokens.</summary>
    public int MaximumLength => Options.MaximumLength ?? Classifier.Backbone.MaxLength;

    /// <summary>What fine-tuning did (history, data figures); null for a loaded model.</summary>
    public FineTuneReport? Training { get; }

    internal ClassifierLabels Labels { get; }

    /// <inheritdoc/>
    public bool IsRowToRowMapper => true;

    string ILlmPersistable.PersistenceKind => Kind;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => MapperFor(inputSchema).OutputSchema;

    /// <inheritdoc/>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new BatchedDataView<int[], ClassifierScoringBatch>(input, MapperFor(input.Schema));
    }

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => MapperFor(inputSchema);

    /// <summary>Not supported: ML.NET keeps its model-saving API internal. Use <c>mlContext.Model.Llm.Save</c>.</summary>
    /// <exception cref="NotSupportedException">Always.</exception>
    public void Save(ModelSaveContext ctx) => throw PersistenceErrors.UseLlmSave(nameof(TextClassifierTransformer));

    /// <summary>The class probabilities of <paramref name="text"/> (in <see cref="ClassLabels"/> order).</summary>
    /// <exception cref="InvalidOperationException">The model has no tokenizer.</exception>
    public float[] PredictProbabilities(string? text)
    {
        if (Tokenizer is null)
            throw new InvalidOperationException("This classifier has no tokenizer, so it cannot read text: score a token column instead.");
        return Score([[.. TokenBatch.EncodeForClassifier(text, Tokenizer, MaximumLength)]]).Probabilities[0];
    }

    /// <summary>Releases the model's native memory.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        Classifier.Dispose();
    }

    /// <summary>Scores a batch of token sequences (each 1..<see cref="MaximumLength"/> ids).</summary>
    internal ClassifierScoringBatch Score(IReadOnlyList<int[]> rows)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_modelLock)
            return ClassifierScoring.Score(Classifier, rows, Options.BatchSize);
    }

    private ClassifierMapper MapperFor(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new ClassifierMapper(inputSchema, this, new ClassifierColumns(inputSchema, Options, Tokenizer is not null, ClassifierColumns.TransformerComponent));
    }

    void ILlmPersistable.SaveTo(string directory)
    {
        var settings = new SavedSettings(Options, Labels.IsBinary, [.. Labels.Names]);
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(settings, PersistenceJson.Options));
        TextClassifierCheckpoint.Save(Classifier, Path.Combine(directory, ModelFolder));
        Tokenizer?.Save(Path.Combine(directory, TokenizerFolder));
    }

    /// <summary>What <c>classifier.json</c> holds.</summary>
    internal sealed record SavedSettings(TextClassifierTransformerOptions Options, bool IsBinary, string[] ClassLabels);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => TextClassifierTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<SavedSettings>(Path.Combine(directory, SettingsFile));
            if (settings.Options is null || settings.ClassLabels is not { Length: >= 2 })
                throw new InvalidDataException($"The saved classifier's {SettingsFile} lacks its options or class labels.");
            var tokenizerFolder = Path.Combine(directory, TokenizerFolder);
            var tokenizer = Directory.Exists(tokenizerFolder) ? LlmTokenizers.Load(tokenizerFolder) : null;
            TextClassifier classifier;
            try
            {
                classifier = TextClassifierCheckpoint.Load(Path.Combine(directory, ModelFolder));
            }
            catch (FileNotFoundException e)
            {
                throw new InvalidDataException($"The saved GPT classifier is incomplete: {e.Message}", e);
            }
            try
            {
                return new TextClassifierTransformer(classifier, tokenizer, new ClassifierLabels(settings.IsBinary, settings.ClassLabels), settings.Options);
            }
            catch (ArgumentException e)
            {
                classifier.Dispose();
                throw new InvalidDataException($"The saved GPT classifier is inconsistent: {e.Message}", e);
            }
        }
    }
}
