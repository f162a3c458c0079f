using System.Diagnostics;
using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.PretrainGpt</c>: <see cref="Fit"/> splits the corpus into training and
/// validation documents, cuts next-token windows, trains a GPT (from scratch or from a checkpoint) with
/// <see cref="GptTrainer"/> and returns a <see cref="GptTransformer"/> that owns the trained model.
/// </summary>
/// <remarks>
/// Checked before any training: the corpus column and its type, the options, the context against the model's, a
/// checkpoint's shape and vocabulary against the options, and that the checkpoint folder can be written. Input: the
/// text (or token-id) column. Output of the fitted transformer: <c>Perplexity</c>, and <c>Completion</c> for a prompt column.
/// </remarks>
public sealed class GptPretrainingEstimator : IEstimator<GptTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly GptPretrainingOptions _options;

    internal GptPretrainingEstimator(IHostEnvironment environment, GptPretrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _options = options;
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        var columns = _options.ToTransformerOptions();
        GptColumns.Check(inputSchema, columns, _options.Tokenizer is not null || _options.InitialModelPath is not null);
        return SchemaShapes.WithAdded(inputSchema, GptColumns.OutputColumns(columns));
    }

    /// <summary>Trains the GPT on <paramref name="input"/>; progress goes to <see cref="GptPretrainingOptions.Progress"/> and the context's log.</summary>
    /// <exception cref="ArgumentException">A missing or mistyped column, an empty corpus, texts shorter than one window, a
    /// context larger than the model's, a checkpoint of another shape or vocabulary, or an unwritable checkpoint folder.</exception>
    /// <exception cref="OperationCanceledException"><see cref="GptPretrainingOptions.CancellationToken"/> was cancelled.</exception>
    public GptTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var watch = Stopwatch.StartNew();
        var columns = _options.ToTransformerOptions();
        _ = new GptColumns(input.Schema, columns with { PromptColumnName = null }, hasTokenizer: true);
        if (_options.Training.CheckpointDirectory is { } folder)
            CheckpointStore.Open(folder, _options.Training.KeepCheckpoints); // proves it writable before any work
        int seed = _environment.NextSeed("PretrainGpt", _options.Seed);
        var (model, tokenizer) = CreateModel(seed);
        try
        {
            int context = _options.ContextLength ?? model.Config.ContextLength;
            if (context > model.Config.ContextLength)
                throw new ArgumentOutOfRangeException(nameof(_options.ContextLength), context, $"ContextLength {context} is larger than the model's context ({model.Config.ContextLength}).");
            _ = new GptColumns(input.Schema, columns, tokenizer is not null);
            var windows = PretrainingWindows.Create(_environment, input, _options, tokenizer, context, seed);
            using var train = windows.Train;
            using var validation = windows.Validation;
            var training = _options.Training with { Seed = seed };
            // Before/after figures and the unigram baseline on the same windows: those the periodic evaluations use.
            var scored = FirstWindows.Of(validation, training.EvaluationBatches is int batches ? (long)batches * training.BatchSize : null);
            var before = GptEvaluator.Evaluate(model, scored, training.BatchSize);
            Log($"Pretraining a GPT of {model.ParameterCount:N0} parameters on {train.WindowCount:N0} windows of {context} tokens; {validation.WindowCount:N0} validation windows, perplexity {before.Perplexity:F1} before training.");
            var history = GptTrainer.Train(model, train, validation, training, _options.Progress, line => Log(line), _options.CancellationToken);
            var after = GptEvaluator.Evaluate(model, scored, training.BatchSize);
            var unigram = UnigramBaseline.Perplexity(train, scored, model.Config.VocabularySize);
            Log($"Validation perplexity {before.Perplexity:F1} -> {after.Perplexity:F1} (add-one unigram: {unigram:F1}) in {watch.Elapsed:hh\\:mm\\:ss}.");
            var report = new GptTrainingReport(history, model.ParameterCount, train.WindowCount * context, before, after, unigram, watch.Elapsed);
            return GptTransformer.Own(model, tokenizer, columns, report);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private (GptModel Model, LlmTokenizer? Tokenizer) CreateModel(int seed)
    {
        if (_options.InitialModelPath is not { } path)
        {
            var shape = _options.Model ?? GptPretrainingOptions.DefaultModel;
            if (_options.Tokenizer is { } tokenizer)
                shape = shape with { VocabularySize = tokenizer.VocabularySize };
            return (new GptModel(shape, seed: (ulong)(uint)seed), _options.Tokenizer);
        }
        var (model, saved) = GptFolder.Load(path);
        try
        {
            CheckCheckpoint(path, model.Config, saved);
            model.train();
            return (model, _options.Tokenizer ?? saved);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private void CheckCheckpoint(string path, GptConfig loaded, LlmTokenizer? saved)
    {
        if (_options.Model is { } asked && asked with { Dropout = loaded.Dropout } != loaded)
            throw new ArgumentException($"The checkpoint at {path} is another configuration ({Describe(loaded)}) than Model asks for ({Describe(asked)}). Leave Model null to continue with the checkpoint's.", nameof(_options.InitialModelPath));
        if (_options.Tokenizer is not { } tokenizer)
        {
            if (saved is null && _options.TokenColumnName is null)
                throw new ArgumentException($"The checkpoint at {path} has no tokenizer: give the Tokenizer its ids come from.", nameof(_options.Tokenizer));
            return;
        }
        if (tokenizer.VocabularySize != loaded.VocabularySize && (saved is not null || tokenizer.VocabularySize > loaded.VocabularySize))
            throw new ArgumentException($"The checkpoint at {path} has a vocabulary of {loaded.VocabularySize} ids but the Tokenizer has {tokenizer.VocabularySize}: it was trained with another vocabulary.", nameof(_options.Tokenizer));
        if (saved is not null && !CheckpointTokenizer.Matches(tokenizer, saved))
            throw new ArgumentException($"The checkpoint at {path} was trained with another vocabulary: its tokenizer and the Tokenizer do not match (ids that mean other text, or the same vocabulary read with other rules).", nameof(_options.Tokenizer));
    }

    private static string Describe(GptConfig c) =>
        $"{c.Layers} layers, {c.Heads} heads, width {c.EmbeddingSize}, context {c.ContextLength}, vocabulary {c.VocabularySize}";

    private void Log(string message) => _environment.LogInfo("PretrainGpt", message);
}
