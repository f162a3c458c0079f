using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// The optimisation settings every MLNetLlm training loop shares: AdamW, a linear-warmup-then-cosine learning rate,
/// gradient clipping and accumulation, a budget, periodic evaluation with early stopping, checkpoints and resume.
/// Task-specific options (<see cref="GptTrainingOptions"/> for pretraining) derive from it.
/// </summary>
/// <remarks>
/// One <em>step</em> is one optimizer update: <see cref="GradientAccumulationSteps"/> batches of
/// <see cref="BatchSize"/> windows. Training stops at the first budget reached: <see cref="MaxEpochs"/>,
/// <see cref="MaxSteps"/> or <see cref="MaxTokens"/>; the cosine decay spans exactly that many steps.
/// </remarks>
public abstract record TrainingOptions
{
    /// <summary>Peak learning rate, reached at the end of the warmup. Default 6e-4 (nanoGPT's GPT-2 small).</summary>
    public double LearningRate { get; init; } = 6e-4;

    /// <summary>Learning rate at the end of the cosine decay. Default 6e-5 (a tenth of the default peak).</summary>
    public double MinLearningRate { get; init; } = 6e-5;

    /// <summary>Decoupled AdamW weight decay, applied only to weights of two or more dimensions (matrices and
    /// embeddings), never to biases or LayerNorm parameters. Default 0.1.</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>AdamW's first-moment decay. Default 0.9.</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>AdamW's second-moment decay. Default 0.95 (GPT-2/3 pretraining).</summary>
    public double Beta2 { get; init; } = 0.95;

    /// <summary>AdamW's denominator epsilon. Default 1e-8.</summary>
    public double AdamEpsilon { get; init; } = 1e-8;

    /// <summary>Steps of linear warmup from 0 to <see cref="LearningRate"/>; null (the default) warms up over 5% of the
    /// planned steps.</summary>
    public int? WarmupSteps { get; init; }

    /// <summary>Windows (pretraining) or texts (fine-tuning) per batch. Default 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>Batches whose gradients are summed before one optimizer step (the effective batch is
    /// <see cref="BatchSize"/> × this). Default 1.</summary>
    public int GradientAccumulationSteps { get; init; } = 1;

    /// <summary>Passes over the training windows, each in a new seeded order. Default 1.</summary>
    public int MaxEpochs { get; init; } = 1;

    /// <summary>Stop after this many optimizer steps; null (the default) sets no step budget.</summary>
    public long? MaxSteps { get; init; }

    /// <summary>Stop once this many tokens (batch rows × window length) have been trained on; null (the default) sets
    /// no token budget.</summary>
    public long? MaxTokens { get; init; }

    /// <summary>Clip the global L2 norm of the gradients to this value before each step; null disables. Default 1.</summary>
    public double? GradientClipNorm { get; init; } = 1.0;

    /// <summary>Evaluate the validation loss every this many steps, and at the end. Default 100.</summary>
    public int EvaluateEveryNSteps { get; init; } = 100;

    /// <summary>Validation batches per evaluation, always the first ones in the source's order; null evaluates the
    /// whole validation set. Default 20.</summary>
    public int? EvaluationBatches { get; init; } = 20;

    /// <summary>Stop when the validation loss has not improved on its best for this many evaluations in a row; 0
    /// (the default) never stops early.</summary>
    public int EarlyStoppingPatience { get; init; }

    /// <summary>
    /// With a validation set, end the run with the weights of the lowest validation loss evaluated (whether it stopped
    /// early or spent its budget), as Keras's <c>restore_best_weights</c>: a copy of the trained parameters is kept in
    /// memory at each improvement and put back at the end. Checkpoints keep the last step's weights (so a resumed run
    /// continues exactly) and carry the best copy beside them. Default false (pretraining,
    /// <see cref="GptTrainingOptions"/>, ends with the last weights); true for classifier fine-tuning.
    /// </summary>
    public bool RestoreBestWeights { get; init; }

    /// <summary>Write a checkpoint every this many steps into <see cref="CheckpointDirectory"/>; 0 (the default)
    /// writes one only at the end (and on cancellation).</summary>
    public int CheckpointEveryNSteps { get; init; }

    /// <summary>Folder for checkpoints (one sub-folder <c>step-00000100</c> per checkpoint, each written atomically);
    /// null (the default) writes none. Checked to be writable before training starts.</summary>
    public string? CheckpointDirectory { get; init; }

    /// <summary>Checkpoints kept in <see cref="CheckpointDirectory"/>, newest first; older ones are deleted. Default 2.</summary>
    public int KeepCheckpoints { get; init; } = 2;

    /// <summary>A checkpoint folder to resume from (a <c>step-…</c> folder, or a <see cref="CheckpointDirectory"/>,
    /// meaning its newest checkpoint); null (the default) starts fresh. With the same data and options, the resumed
    /// run reproduces the uninterrupted run's losses. A checkpoint of another model configuration or vocabulary, or
    /// from other training windows, <see cref="BatchSize"/>, <see cref="GradientAccumulationSteps"/> or
    /// <see cref="Seed"/>, is refused; the learning rates and budgets may change (they reshape the schedule).</summary>
    public string? ResumeFrom { get; init; }

    /// <summary>Seed of the data order and of torch's global generator (dropout). Default 1.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Where to train, as torch spells it (<c>"cpu"</c>, <c>"cuda"</c>, <c>"cuda:1"</c>); null (the
    /// default) trains where the model already is. The model is moved there when it is elsewhere.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// The precision of the matrix products: <see cref="Precision.Fp32"/> (the default) or <see cref="Precision.Bf16"/>,
    /// mixed precision as PyTorch's autocast does it: weights, gradients, AdamW's moments and checkpoints stay fp32, the
    /// projections' products (forward and backward) and attention run in bf16, layer norms, the residual stream and the
    /// loss in fp32. Validation runs in the same precision. A checkpoint resumes in either precision.
    /// </summary>
    public Precision Precision { get; init; } = Precision.Fp32;

    /// <summary>Test hook: returns true for an optimizer step whose loss is replaced by NaN.</summary>
    internal Func<long, bool>? InjectNaNAtStep { get; init; }

    /// <summary>Checks every setting; names the first bad one.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A setting is outside its documented range.</exception>
    public virtual void Validate()
    {
        Positive(LearningRate, nameof(LearningRate));
        if (!(MinLearningRate >= 0 && MinLearningRate <= LearningRate))
            throw new ArgumentOutOfRangeException(nameof(MinLearningRate), MinLearningRate, $"MinLearningRate must be in [0, LearningRate = {LearningRate}].");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be 0 or a positive finite number.");
        if (!(Beta1 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Beta1), Beta1, "Beta1 must be in [0, 1).");
        if (!(Beta2 is >= 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(Beta2), Beta2, "Beta2 must be in [0, 1).");
        Positive(AdamEpsilon, nameof(AdamEpsilon));
        if (WarmupSteps is < 0) throw new ArgumentOutOfRangeException(nameof(WarmupSteps), WarmupSteps, "WarmupSteps must be 0 or more, or null for 5% of the steps.");
        if (BatchSize < 1) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be at least 1.");
        if (GradientAccumulationSteps < 1) throw new ArgumentOutOfRangeException(nameof(GradientAccumulationSteps), GradientAccumulationSteps, "GradientAccumulationSteps must be at least 1.");
        if (MaxEpochs < 1) throw new ArgumentOutOfRangeException(nameof(MaxEpochs), MaxEpochs, "MaxEpochs must be at least 1.");
        if (MaxSteps is < 1) throw new ArgumentOutOfRangeException(nameof(MaxSteps), MaxSteps, "MaxSteps must be at least 1, or null.");
        if (MaxTokens is < 1) throw new ArgumentOutOfRangeException(nameof(MaxTokens), MaxTokens, "MaxTokens must be at least 1, or null.");
        if (GradientClipNorm is { } clip) Positive(clip, nameof(GradientClipNorm));
        if (EvaluateEveryNSteps < 1) throw new ArgumentOutOfRangeException(nameof(EvaluateEveryNSteps), EvaluateEveryNSteps, "EvaluateEveryNSteps must be at least 1.");
        if (EvaluationBatches is < 1) throw new ArgumentOutOfRangeException(nameof(EvaluationBatches), EvaluationBatches, "EvaluationBatches must be at least 1, or null for the whole validation set.");
        if (EarlyStoppingPatience < 0) throw new ArgumentOutOfRangeException(nameof(EarlyStoppingPatience), EarlyStoppingPatience, "EarlyStoppingPatience must be 0 (off) or more.");
        if (CheckpointEveryNSteps < 0) throw new ArgumentOutOfRangeException(nameof(CheckpointEveryNSteps), CheckpointEveryNSteps, "CheckpointEveryNSteps must be 0 (only at the end) or more.");
        if (!Enum.IsDefined(Precision)) throw new ArgumentOutOfRangeException(nameof(Precision), Precision, "Precision must be Fp32 or Bf16.");
        if (KeepCheckpoints < 1) throw new ArgumentOutOfRangeException(nameof(KeepCheckpoints), KeepCheckpoints, "KeepCheckpoints must be at least 1.");
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a positive finite number.");
    }
}
