using MLNetLlm.Kit;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// Options of <c>mlContext.MulticlassClassification.Trainers.Llm.SetFit</c> and its binary twin: SetFit (Tunstall et
/// al., 2022) in two stages. First the sentence encoder is fine-tuned contrastively with CosineSimilarityLoss on pairs
/// generated from the labelled texts (each round, each text gets one positive of its class, target 1, and one negative
/// of another class, target 0); then a logistic-regression head (ML.NET's <c>LbfgsMaximumEntropy</c>, or
/// <c>LbfgsLogisticRegression</c> for a Boolean label) is trained on the fine-tuned embeddings.
/// </summary>
/// <remarks>
/// Empty texts: a null, empty or blank text among the labelled training rows is an error naming the row (filter such
/// rows first); once trained, an empty text is embedded as <c>[CLS] [SEP]</c> and classified. Rows whose key label is
/// missing (key 0) are skipped.
/// </remarks>
public sealed record SetFitOptions
{
    /// <summary>The label column: a key (multiclass, as <c>MapValueToKey</c> makes) or Boolean (binary). Default <c>Label</c>.</summary>
    public string LabelColumnName { get; init; } = "Label";

    /// <summary>The text column. Default <c>Text</c>.</summary>
    public string TextColumnName { get; init; } = "Text";

    /// <summary>
    /// The embedding column the fitted transformer adds and the head reads (the fine-tuned encoder's vector of each
    /// text). Default <c>SetFitEmbedding</c>.
    /// </summary>
    public string EmbeddingColumnName { get; init; } = "SetFitEmbedding";

    /// <summary>Rounds R of pair generation (SetFit's <c>num_iterations</c>): 2·R·n pairs from n texts. Default 20 (SetFit's).</summary>
    public int PairIterations { get; init; } = 20;

    /// <summary>An encoder on disk to start from (a Hugging Face BERT folder, or an ONNX file with its <c>vocab.txt</c>); null for <see cref="BaseEncoder"/> or all-MiniLM-L6-v2.</summary>
    public string? BaseModelPath { get; init; }

    /// <summary>An encoder in memory to start from; copied and left unchanged. Default null.</summary>
    public PretrainedEncoder? BaseEncoder { get; init; }

    /// <summary>The head's L2 regularization (ML.NET's L-BFGS trainers' default 1, like scikit-learn's C = 1 SetFit uses); the head has no L1 penalty, as SetFit's.</summary>
    public float HeadL2Regularization { get; init; } = 1f;

    /// <summary>Labelled rows of the same shape for the contrastive stage's validation loss (pairs generated from them); null (the default) for none.</summary>
    public IDataView? ValidationSet { get; init; }

    /// <summary>The contrastive stage's optimisation settings. Default: <see cref="SentenceEmbedderTrainingOptions"/>'s (batches of 16, one epoch, 2e-5, SetFit's defaults).</summary>
    public SentenceEmbedderTrainingOptions Training { get; init; } = new();

    /// <summary>Rows embedded per model call. Default 32.</summary>
    public int EmbeddingBatchSize { get; init; } = 32;

    /// <summary>The seed of pair generation, data order and dropout; null (the default) takes the next seed of the <c>MLContext</c>.</summary>
    public int? Seed { get; init; }

    /// <summary>Receives a <see cref="TrainingProgress"/> after every optimizer step of the contrastive stage. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Cancels training: the fit throws <see cref="OperationCanceledException"/>. Default none.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <summary>Checks every option; names the first bad one.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        ColumnChecks.RequireName(LabelColumnName, nameof(LabelColumnName));
        ColumnChecks.RequireName(TextColumnName, nameof(TextColumnName));
        ColumnChecks.RequireName(EmbeddingColumnName, nameof(EmbeddingColumnName));
        if (PairIterations < 1) throw new ArgumentOutOfRangeException(nameof(PairIterations), PairIterations, "PairIterations must be at least 1.");
        if (EmbeddingBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EmbeddingBatchSize), EmbeddingBatchSize, "EmbeddingBatchSize must be at least 1.");
        if (!(HeadL2Regularization >= 0) || float.IsInfinity(HeadL2Regularization))
            throw new ArgumentOutOfRangeException(nameof(HeadL2Regularization), HeadL2Regularization, "HeadL2Regularization must be 0 or a positive finite number.");
        if (BaseModelPath is not null && BaseEncoder is not null)
            throw new ArgumentException("Give one base encoder: BaseModelPath or BaseEncoder, not both.", nameof(BaseModelPath));
        if (BaseModelPath is { } path && string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("BaseModelPath cannot be blank; use null for all-MiniLM-L6-v2.", nameof(BaseModelPath));
        if (EmbeddingColumnName == LabelColumnName || EmbeddingColumnName == TextColumnName)
            throw new ArgumentException($"EmbeddingColumnName '{EmbeddingColumnName}' would hide the text or label column; pick another name.", nameof(EmbeddingColumnName));
    }
}
