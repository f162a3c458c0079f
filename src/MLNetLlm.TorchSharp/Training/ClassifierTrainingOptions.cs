using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Settings of classifier fine-tuning (<see cref="TextClassifierTrainer"/>): the shared optimisation settings with
/// fine-tuning defaults, which parameters train, LoRA's rank and alpha, class weights and the maximum text length.
/// </summary>
/// <remarks>
/// Defaults differ from pretraining's: <see cref="TrainingOptions.LearningRate"/> 1e-4 decaying to 1e-5 (the reference
/// book fine-tunes GPT-2 small at 5e-5; our small models and a freshly initialised head take a larger step well),
/// <see cref="TrainingOptions.WeightDecay"/> 0.1, <see cref="TrainingOptions.Beta2"/> 0.999 (the usual fine-tuning
/// value: short runs want a quicker second-moment estimate than pretraining's 0.95), 5
/// <see cref="TrainingOptions.MaxEpochs"/> of <see cref="TrainingOptions.BatchSize"/> 8 texts (the book's),
/// validation on the whole validation set (<see cref="TrainingOptions.EvaluationBatches"/> null), and
/// <see cref="TrainingOptions.RestoreBestWeights"/> on. Each batch is padded to its longest text.
/// </remarks>
public sealed record ClassifierTrainingOptions : TrainingOptions
{
    /// <summary>Fine-tuning defaults (see the remarks).</summary>
    public ClassifierTrainingOptions()
    {
        LearningRate = 1e-4;
        MinLearningRate = 1e-5;
        Beta2 = 0.999;
        MaxEpochs = 5;
        EvaluationBatches = null;
        RestoreBestWeights = true;
    }

    /// <summary>Which parameters train. Default <see cref="FineTuneParameters.LastBlocks"/> (with
    /// <see cref="TrainableBlocks"/> 1: the last block, the final LayerNorm and the head, as the reference book).</summary>
    public FineTuneParameters Parameters { get; init; } = FineTuneParameters.LastBlocks;

    /// <summary>For <see cref="FineTuneParameters.LastBlocks"/>: how many of the last transformer blocks train, in
    /// [0, layers] (0 trains the final LayerNorm and the head). Default 1.</summary>
    public int TrainableBlocks { get; init; } = 1;

    /// <summary>For <see cref="FineTuneParameters.LoRA"/>: the adapters' rank, in [1, embedding size]. Default 8.</summary>
    public int LoraRank { get; init; } = 8;

    /// <summary>For <see cref="FineTuneParameters.LoRA"/>: the adapters' alpha (their product is scaled by
    /// alpha / rank). Default 16.</summary>
    public double LoraAlpha { get; init; } = 16;

    /// <summary>
    /// A loss weight per class (length = class count, finite, non-negative, not all zero), for imbalanced labels; null
    /// (the default) weighs every example the same. The loss of a batch is then Σ wᵧ·lossᵢ / Σ wᵧ over its examples
    /// (torch's weighted cross-entropy), and so is the validation loss. <see cref="BalancedClassWeights"/> computes
    /// the usual n / (classes · countᵧ) weights.
    /// </summary>
    public IReadOnlyList<double>? ClassWeights { get; init; }

    /// <summary>
    /// Tokens read from each text; null (the default) reads up to the model's context length. Longer texts keep their
    /// FIRST tokens (the subject and opening of a mail or review carry most of its class; the end is often signatures
    /// and boilerplate), and with last-token pooling the last kept token is the one classified.
    /// </summary>
    public int? MaxSequenceLength { get; init; }

    /// <summary>
    /// Balanced class weights n / (classes · countᵧ) for <paramref name="labels"/> (scikit-learn's "balanced"): each
    /// class then carries the same total weight. A class without examples gets weight 0.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="classCount"/> is below 2 or a label is outside [0, classCount).</exception>
    public static double[] BalancedClassWeights(IEnumerable<int> labels, int classCount)
    {
        ArgumentNullException.ThrowIfNull(labels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classCount, 2);
        var counts = new long[classCount];
        long total = 0;
        foreach (var label in labels)
        {
            if (label < 0 || label >= classCount) throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label {label} is outside [0, {classCount}).");
            counts[label]++;
            total++;
        }
        return counts.Select(c => c == 0 ? 0.0 : (double)total / (classCount * c)).ToArray();
    }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (!Enum.IsDefined(Parameters)) throw new ArgumentOutOfRangeException(nameof(Parameters), Parameters, "Parameters must be Head, LastBlocks, All or LoRA.");
        if (TrainableBlocks < 0) throw new ArgumentOutOfRangeException(nameof(TrainableBlocks), TrainableBlocks, "TrainableBlocks must be 0 or more.");
        if (LoraRank < 1) throw new ArgumentOutOfRangeException(nameof(LoraRank), LoraRank, "LoraRank must be at least 1.");
        if (!(LoraAlpha > 0) || double.IsInfinity(LoraAlpha)) throw new ArgumentOutOfRangeException(nameof(LoraAlpha), LoraAlpha, "LoraAlpha must be a positive finite number.");
        if (MaxSequenceLength is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSequenceLength), MaxSequenceLength, "MaxSequenceLength must be at least 1, or null for the model's context length.");
        if (ClassWeights is { } weights)
        {
            if (weights.Any(w => !(w >= 0) || double.IsInfinity(w)))
                throw new ArgumentOutOfRangeException(nameof(ClassWeights), "Every ClassWeights entry must be a finite number of 0 or more.");
            if (weights.All(w => w == 0)) throw new ArgumentOutOfRangeException(nameof(ClassWeights), "ClassWeights must not all be 0.");
        }
    }

    /// <summary>Checks the settings that depend on the model: LoRA rank, trainable blocks, class weights and length.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting does not fit <paramref name="model"/>; names it.</exception>
    internal void ValidateFor(TextClassifier model)
    {
        var backbone = model.Backbone;
        if (Parameters == FineTuneParameters.LoRA && LoraRank > backbone.HiddenSize)
            throw new ArgumentOutOfRangeException(nameof(LoraRank), LoraRank, $"LoraRank must be in [1, {backbone.HiddenSize}], the model's embedding size (the narrowest projection).");
        if (Parameters == FineTuneParameters.LastBlocks && TrainableBlocks > backbone.LayerCount)
            throw new ArgumentOutOfRangeException(nameof(TrainableBlocks), TrainableBlocks, $"TrainableBlocks must be in [0, {backbone.LayerCount}], the model's layers.");
        if (ClassWeights is { } weights && weights.Count != model.ClassCount)
            throw new ArgumentOutOfRangeException(nameof(ClassWeights), $"ClassWeights has {weights.Count} entries; the classifier has {model.ClassCount} classes.");
        if (MaxSequenceLength > backbone.MaxLength)
            throw new ArgumentOutOfRangeException(nameof(MaxSequenceLength), MaxSequenceLength, $"MaxSequenceLength must be at most the model's context length {backbone.MaxLength}.");
    }
}
