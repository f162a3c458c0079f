using MLNetLlm.Kit;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// Options of <c>mlContext.Transforms.Llm.TrainSentenceEmbedder</c>. The training data comes in one of two shapes:
/// <list type="bullet">
/// <item><b>pairs</b> (the default): an anchor and a positive text column (<see cref="AnchorColumnName"/>,
/// <see cref="PositiveColumnName"/>), an optional hard-negative column (<see cref="NegativeColumnName"/>) and, for
/// <see cref="SentenceEmbeddingLoss.CosineSimilarity"/>, a target column (<see cref="TargetColumnName"/>);</item>
/// <item><b>labelled texts</b>, when <see cref="LabelColumnName"/> is set: a text column and a label column, from which
/// pairs are generated (see <see cref="PairIterations"/>), the same pairs for the same seed.</item>
/// </list>
/// </summary>
/// <remarks>
/// Empty texts: a null, empty or blank text in any training column (anchor, positive, negative, text) is an error that
/// names the column and row, since a pair with an empty side teaches nothing but to move <c>[CLS] [SEP]</c>; filter such
/// rows first. Rows whose key label is missing (key 0) are skipped. Once trained, the embedder embeds an empty text as
/// <c>EmbedText</c> does (<c>[CLS] [SEP]</c>).
/// </remarks>
public sealed record TrainSentenceEmbedderOptions
{
    /// <summary>The anchor (query, first sentence) text column of pair data. Default <c>Anchor</c>.</summary>
    public string AnchorColumnName { get; init; } = "Anchor";

    /// <summary>The positive (answer, paraphrase, second sentence) text column of pair data. Default <c>Positive</c>.</summary>
    public string PositiveColumnName { get; init; } = "Positive";

    /// <summary>
    /// An optional text column of hard negatives (a text close to the anchor but wrong) of pair data. With
    /// MultipleNegativesRankingLoss every anchor is ranked against every positive and every hard negative of its batch;
    /// with CosineSimilarityLoss and no <see cref="TargetColumnName"/>, (anchor, positive) pairs get target 1 and
    /// (anchor, negative) pairs target 0. Default null: none.
    /// </summary>
    public string? NegativeColumnName { get; init; }

    /// <summary>
    /// For CosineSimilarityLoss on pair data: the target similarity of each (anchor, positive) pair, a Single, Double
    /// or Boolean column (true is 1, false 0), finite and in [-1, 1]. Default null (targets from
    /// <see cref="NegativeColumnName"/>).
    /// </summary>
    public string? TargetColumnName { get; init; }

    /// <summary>
    /// The label column of labelled-text data (a key, text, Boolean or integer column); setting it switches from pairs
    /// to pairs generated from labels. Default null: pair data.
    /// </summary>
    public string? LabelColumnName { get; init; }

    /// <summary>The text column of labelled-text data. Default <c>Text</c>.</summary>
    public string TextColumnName { get; init; } = "Text";

    /// <summary>
    /// For labelled texts: rounds R of pair generation (SetFit's <c>num_iterations</c>). Each round, each example gets
    /// one positive (another text of its class) and one negative (a text of another class), both at random: two
    /// (text, text, target) pairs for CosineSimilarityLoss, one (anchor, positive, hard negative) triple for
    /// MultipleNegativesRankingLoss. Default 20.
    /// </summary>
    public int PairIterations { get; init; } = 20;

    /// <summary>The loss. Default <see cref="SentenceEmbeddingLoss.MultipleNegativesRanking"/>.</summary>
    public SentenceEmbeddingLoss Loss { get; init; } = SentenceEmbeddingLoss.MultipleNegativesRanking;

    /// <summary>MultipleNegativesRankingLoss's scale (inverse temperature) of the cosine similarities. Default 20 (sentence-transformers').</summary>
    public double Scale { get; init; } = 20;

    /// <summary>
    /// An encoder to start from, on disk: a Hugging Face BERT folder or a sentence-transformers / BERT ONNX file with
    /// its <c>vocab.txt</c> beside it. Default null: <see cref="BaseEncoder"/> when set, else all-MiniLM-L6-v2.
    /// </summary>
    public string? BaseModelPath { get; init; }

    /// <summary>
    /// An encoder in memory to start from, such as <see cref="PretrainedEncoders.ArcticEmbedXs"/>: its weights,
    /// tokenizer, pooling and length are copied, and it is left unchanged (still the caller's to dispose). Default null.
    /// </summary>
    public PretrainedEncoder? BaseEncoder { get; init; }

    /// <summary>The text column the fitted transformer embeds; null (the default) for the anchor column (pairs) or the text column (labels).</summary>
    public string? InputColumnName { get; init; }

    /// <summary>The vector column the fitted transformer writes. Default <c>Embedding</c>.</summary>
    public string OutputColumnName { get; init; } = "Embedding";

    /// <summary>Rows embedded per model call by the fitted transformer. Default 32.</summary>
    public int EmbeddingBatchSize { get; init; } = 32;

    /// <summary>Data of the same shape for the validation loss (evaluated every
    /// <see cref="TrainingOptions.EvaluateEveryNSteps"/> steps and at the end; the best weights are kept, and
    /// <see cref="TrainingOptions.EarlyStoppingPatience"/> stops early). Default null: none.</summary>
    public IDataView? ValidationSet { get; init; }

    /// <summary>The optimisation settings. Default: <see cref="SentenceEmbedderTrainingOptions"/>'s.</summary>
    public SentenceEmbedderTrainingOptions Training { get; init; } = new();

    /// <summary>The seed of pair generation, data order and dropout; null (the default) takes the next seed of the <c>MLContext</c>.</summary>
    public int? Seed { get; init; }

    /// <summary>Receives a <see cref="TrainingProgress"/> after every optimizer step. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Cancels training: the fit throws <see cref="OperationCanceledException"/>. Default none.</summary>
    public CancellationToken CancellationToken { get; init; }

    internal bool FromLabels => LabelColumnName is not null;

    internal string EmbeddedColumnName => InputColumnName ?? (FromLabels ? TextColumnName : AnchorColumnName);

    /// <summary>Checks every option; names the first bad one.</summary>
    /// <exception cref="ArgumentException">An option is invalid or two options contradict each other.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Training, nameof(Training));
        Training.Validate();
        if (!Enum.IsDefined(Loss)) throw new ArgumentOutOfRangeException(nameof(Loss), Loss, "Unknown loss.");
        if (!(Scale > 0) || double.IsInfinity(Scale)) throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "Scale must be a positive finite number.");
        if (PairIterations < 1) throw new ArgumentOutOfRangeException(nameof(PairIterations), PairIterations, "PairIterations must be at least 1.");
        if (EmbeddingBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(EmbeddingBatchSize), EmbeddingBatchSize, "EmbeddingBatchSize must be at least 1.");
        ColumnChecks.RequireName(OutputColumnName, nameof(OutputColumnName));
        if (InputColumnName is not null) ColumnChecks.RequireName(InputColumnName, nameof(InputColumnName));
        if (BaseModelPath is not null && BaseEncoder is not null)
            throw new ArgumentException("Give one base encoder: BaseModelPath or BaseEncoder, not both.", nameof(BaseModelPath));
        if (BaseModelPath is { } path && string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("BaseModelPath cannot be blank; use null for all-MiniLM-L6-v2.", nameof(BaseModelPath));
        if (FromLabels)
        {
            ColumnChecks.RequireName(LabelColumnName, nameof(LabelColumnName));
            ColumnChecks.RequireName(TextColumnName, nameof(TextColumnName));
            if (NegativeColumnName is not null || TargetColumnName is not null)
                throw new ArgumentException("NegativeColumnName and TargetColumnName belong to pair data; with LabelColumnName the pairs, their negatives and targets come from the labels.", nameof(LabelColumnName));
            return;
        }
        ColumnChecks.RequireName(AnchorColumnName, nameof(AnchorColumnName));
        ColumnChecks.RequireName(PositiveColumnName, nameof(PositiveColumnName));
        if (NegativeColumnName is not null) ColumnChecks.RequireName(NegativeColumnName, nameof(NegativeColumnName));
        if (TargetColumnName is not null) ColumnChecks.RequireName(TargetColumnName, nameof(TargetColumnName));
        if (Loss == SentenceEmbeddingLoss.MultipleNegativesRanking && TargetColumnName is not null)
            throw new ArgumentException("TargetColumnName is for CosineSimilarityLoss; MultipleNegativesRankingLoss needs no targets (every pair is a positive).", nameof(TargetColumnName));
        if (Loss == SentenceEmbeddingLoss.CosineSimilarity && TargetColumnName is null && NegativeColumnName is null)
            throw new ArgumentException("CosineSimilarityLoss needs targets: set TargetColumnName, or NegativeColumnName (positives get target 1, negatives 0), " +
                "or LabelColumnName to generate pairs from labels. With every target 1 it would learn to make all texts alike.", nameof(TargetColumnName));
        var names = new[] { AnchorColumnName, PositiveColumnName, NegativeColumnName }.Where(n => n is not null).ToList();
        if (names.Distinct().Count() != names.Count)
            throw new ArgumentException($"The anchor, positive and negative columns must differ; they are '{string.Join("', '", names)}'.", nameof(PositiveColumnName));
    }
}
