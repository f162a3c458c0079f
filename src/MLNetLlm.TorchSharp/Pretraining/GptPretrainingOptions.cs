using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// Options of <c>mlContext.Transforms.Llm.PretrainGpt</c>: the corpus column, the tokenizer, the model to train (from
/// scratch or from a checkpoint), the windows, the validation split, the optimisation settings, and the columns and
/// generation settings of the fitted <see cref="GptTransformer"/>.
/// </summary>
/// <remarks>
/// The corpus is read once, split and cut into windows that stream into a temporary file in the system's temporary
/// folder (8 bytes a token, deleted when <c>Fit</c> returns), so memory stays flat whatever the corpus size; the trainer
/// reads its shuffled batches back from that file.
/// </remarks>
public sealed record GptPretrainingOptions
{
    /// <summary>The text column of the corpus, one document a row. Default <c>Text</c>.</summary>
    public string? TextColumnName { get; init; } = "Text";

    /// <summary>A column of token ids (vector of Int64, the Tokenize transform's output) to train on instead of text. Default null.</summary>
    public string? TokenColumnName { get; init; }

    /// <summary>
    /// The tokenizer of the text column, for example one learned with <c>BpeTrainer</c>. Required for a text column
    /// unless <see cref="InitialModelPath"/> holds one; optional with a token column (then completions are unavailable).
    /// </summary>
    public LlmTokenizer? Tokenizer { get; init; }

    /// <summary>
    /// The shape of the model. Null (the default): <see cref="DefaultModel"/> when training from scratch, the
    /// checkpoint's shape when continuing from <see cref="InitialModelPath"/> (a different shape given here is an
    /// error). From scratch, the vocabulary size is the tokenizer's.
    /// </summary>
    public GptConfig? Model { get; init; }

    /// <summary>
    /// A model folder to continue training from: one of our checkpoints or a Hugging Face GPT-2 folder, as
    /// <c>LoadGpt</c> reads. Default null: train from scratch. To resume an interrupted run exactly (optimizer state and
    /// data order too), set <see cref="TrainingOptions.ResumeFrom"/> in <see cref="Training"/> instead.
    /// </summary>
    public string? InitialModelPath { get; init; }

    /// <summary>Tokens per training window; at most the model's context. Null (the default): the model's context.</summary>
    public int? ContextLength { get; init; }

    /// <summary>
    /// The share of documents held out for validation (before/after figures, periodic evaluation, early stopping),
    /// strictly between 0 and 1. Default 0.1. Documents are drawn with the seed.
    /// </summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Optimisation settings: learning rate and schedule, batch size, budget, evaluation, checkpoints. Default: <see cref="GptTrainingOptions"/>'s defaults.</summary>
    public GptTrainingOptions Training { get; init; } = new();

    /// <summary>Seed of the split, the initial weights and the training order. Null (the default): the next seed of the <c>MLContext</c>.</summary>
    public int? Seed { get; init; }

    /// <summary>Receives every optimizer step's progress (loss, tokens/s, time left), on the training thread. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Stops training: <c>Fit</c> throws <see cref="OperationCanceledException"/> after saving a checkpoint when a <see cref="TrainingOptions.CheckpointDirectory"/> is set.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>The fitted transformer's Single column of each row's perplexity. Default <c>Perplexity</c>.</summary>
    public string PerplexityColumnName { get; init; } = "Perplexity";

    /// <summary>A text column of prompts the fitted transformer completes. Default null: no completion column.</summary>
    public string? PromptColumnName { get; init; }

    /// <summary>The fitted transformer's column of completions. Default <c>Completion</c>.</summary>
    public string CompletionColumnName { get; init; } = "Completion";

    /// <summary>How the fitted transformer generates completions. Default greedy, 50 new tokens.</summary>
    public GenerationOptions Generation { get; init; } = new() { Greedy = true };

    /// <summary>Rows per model call when the fitted transformer scores or completes. Default 8.</summary>
    public int ScoringBatchSize { get; init; } = 8;

    /// <summary>
    /// The model trained from scratch when <see cref="Model"/> is null: 4 layers, 4 heads, width 256, context 128,
    /// dropout 0.1 (about 3.2M parameters besides the embeddings; 5.3M with an 8,000-id vocabulary).
    /// </summary>
    public static GptConfig DefaultModel { get; } = new() { ContextLength = 128, EmbeddingSize = 256, Heads = 4, Layers = 4, Dropout = 0.1 };

    /// <summary>The options of the fitted transformer.</summary>
    internal GptTransformerOptions ToTransformerOptions() => new()
    {
        TextColumnName = TextColumnName,
        TokenColumnName = TokenColumnName,
        PerplexityColumnName = PerplexityColumnName,
        PromptColumnName = PromptColumnName,
        CompletionColumnName = CompletionColumnName,
        Generation = Generation,
        BatchSize = ScoringBatchSize,
    };

    /// <summary>Checks what can be checked without data; names the first bad option.</summary>
    /// <exception cref="ArgumentException">No corpus column, no tokenizer for a text column, or an invalid setting.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range, such as a <see cref="ValidationFraction"/> of 0 or 1.</exception>
    public void Validate()
    {
        if (TokenColumnName is null && TextColumnName is null)
            throw new ArgumentException("Give the corpus: a TextColumnName (with a Tokenizer) or a TokenColumnName.", nameof(TextColumnName));
        if (TokenColumnName is null && Tokenizer is null && InitialModelPath is null)
            throw new ArgumentException($"Training on the text column '{TextColumnName}' needs a Tokenizer (for example BpeTrainer.Train(...) or LlmTokenizers.Gpt2()).", nameof(Tokenizer));
        if (TokenColumnName is not null && Tokenizer is null && Model is null && InitialModelPath is null)
            throw new ArgumentException("Training on a token column without a Tokenizer needs a Model whose VocabularySize covers the ids.", nameof(Model));
        if (!(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be strictly between 0 and 1: pretraining needs both training and validation documents.");
        if (ContextLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(ContextLength), ContextLength, "ContextLength must be at least 1, or null for the model's context.");
        if (Model is { } model)
        {
            model.Validate();
            if (ContextLength > model.ContextLength)
                throw new ArgumentOutOfRangeException(nameof(ContextLength), ContextLength, $"ContextLength {ContextLength} is larger than the model's context ({model.ContextLength}).");
        }
        else if (InitialModelPath is null && ContextLength > DefaultModel.ContextLength)
            throw new ArgumentOutOfRangeException(nameof(ContextLength), ContextLength, $"ContextLength {ContextLength} is larger than the model's context ({DefaultModel.ContextLength}).");
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        ToTransformerOptions().Validate();
    }
}
