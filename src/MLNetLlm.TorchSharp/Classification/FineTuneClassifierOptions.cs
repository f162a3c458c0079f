using MLNetLlm.Embeddings;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// What every classifier fine-tuning shares, whatever its backbone (<see cref="FineTuneGptOptions"/>, and
/// <see cref="FineTuneEncoderOptions"/>): the columns, pooling, the validation set, and the optimisation settings
/// (<see cref="Training"/>: learning rate, weight decay, epochs, batch size, which parameters train, LoRA, class
/// weights, maximum length, early stopping).
/// </summary>
public abstract record FineTuneClassifierOptions
{
    /// <summary>
    /// The label column. Default <c>Label</c>. Multiclass: a key (as <c>MapValueToKey</c> makes), one class per key
    /// value; rows with a missing key (0, a value <c>MapValueToKey</c> did not see) are skipped. Binary: a Boolean.
    /// </summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The text column to classify, tokenized with the base model's tokenizer. Default <c>Text</c>.</summary>
    public string? TextColumnName { get; init; } = "Text";

    /// <summary>A token-id column (Int64 vector from the Tokenize transform) to classify instead of text. Default null.</summary>
    public string? TokenColumnName { get; init; }

    /// <summary>The attention mask of a padded <see cref="TokenColumnName"/> (Tokenize's <c>AttentionMask</c> with
    /// <c>PadToLength</c>); required for a fixed-length token column. Default null.</summary>
    public string? AttentionMaskColumnName { get; init; }

    /// <summary>
    /// The tokenizer of the text column. Default null: the base model's own. When both are present they must give the
    /// same ids, else fitting fails naming this option (a base model trained on another vocabulary cannot read them).
    /// </summary>
    public LlmTokenizer? Tokenizer { get; init; }

    /// <summary>How token states become one vector per text. Default null: the backbone's own,
    /// <see cref="EmbeddingPooling.LastToken"/> for a GPT (the only token that has seen the whole text) and
    /// <see cref="EmbeddingPooling.Mean"/> for an encoder.</summary>
    public EmbeddingPooling? Pooling { get; init; }

    /// <summary>
    /// Rows to measure the validation loss on, every <see cref="TrainingOptions.EvaluateEveryNSteps"/> steps and at
    /// the end; with <see cref="TrainingOptions.EarlyStoppingPatience"/> training stops when it stops improving, and
    /// with <see cref="TrainingOptions.RestoreBestWeights"/> (on by default) the best weights are kept. Same columns as
    /// the training data. Default null: no validation.
    /// </summary>
    public IDataView? ValidationSet { get; init; }

    /// <summary>
    /// Weigh each class by n / (classes · count) of the training rows (scikit-learn's "balanced"), for imbalanced
    /// labels. Default false. Not together with <see cref="ClassifierTrainingOptions.ClassWeights"/>.
    /// </summary>
    public bool BalanceClasses { get; init; }

    /// <summary>
    /// Optimisation settings: learning rate and schedule, weight decay, <see cref="TrainingOptions.MaxEpochs"/>,
    /// <see cref="TrainingOptions.BatchSize"/>, which parameters train (<see cref="ClassifierTrainingOptions.Parameters"/>,
    /// LoRA rank and alpha), class weights, the maximum length (<see cref="ClassifierTrainingOptions.MaxSequenceLength"/>:
    /// longer texts keep their first tokens, in training and scoring alike), early stopping and the device.
    /// Default: <see cref="ClassifierTrainingOptions"/>'s defaults. Its <see cref="TrainingOptions.Seed"/> is replaced by <see cref="Seed"/>.
    /// </summary>
    public ClassifierTrainingOptions Training { get; init; } = new();

    /// <summary>Seed of the head's initial weights, the data order and dropout. Null (the default): the next seed of the <c>MLContext</c>.</summary>
    public int? Seed { get; init; }

    /// <summary>Receives every optimizer step's progress (loss, throughput, time left), on the training thread. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Stops training: <c>Fit</c> throws <see cref="OperationCanceledException"/> (after saving a checkpoint
    /// when <see cref="TrainingOptions.CheckpointDirectory"/> is set).</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Rows per model call when the fitted transformer scores. Default 16.</summary>
    public int ScoringBatchSize { get; init; } = 16;

    /// <summary>The column options of the fitted transformer.</summary>
    internal TextClassifierTransformerOptions ToTransformerOptions(int? maximumLength) => new()
    {
        TextColumnName = TextColumnName,
        TokenColumnName = TokenColumnName,
        AttentionMaskColumnName = AttentionMaskColumnName,
        MaximumLength = maximumLength,
        BatchSize = ScoringBatchSize,
    };

    /// <summary>Checks what can be checked without data; names the first bad option.</summary>
    /// <exception cref="ArgumentException">A blank or missing column name, two base models, or two kinds of class weights.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A number is out of range (the message names it).</exception>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException("LabelColumnName cannot be null or blank.", nameof(LabelColumnName));
        if (Pooling is { } pooling && !Enum.IsDefined(pooling))
            throw new ArgumentOutOfRangeException(nameof(Pooling), pooling, "Pooling must be Mean, LastToken or FirstToken.");
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        if (BalanceClasses && Training.ClassWeights is not null)
            throw new ArgumentException("Set BalanceClasses or Training.ClassWeights, not both.", nameof(BalanceClasses));
        Training.Validate();
        ToTransformerOptions(Training.MaxSequenceLength).Validate();
    }
}
