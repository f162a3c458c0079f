using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// Options of <c>mlContext.Transforms.Llm.TunePreferences</c> (DPO): the columns of the pairs, β, what trains, and the
/// shared optimisation settings of <see cref="TrainingOptions"/> (a row is one pair; <see cref="TrainingOptions.BatchSize"/> pairs a batch).
/// </summary>
public sealed record PreferenceTuningOptions : TrainingOptions
{
    /// <summary>Builds the options with DPO's defaults: learning rate 5e-4 decaying to 5e-5, weight decay 0, evaluation
    /// every 50 steps, best weights restored.</summary>
    public PreferenceTuningOptions()
    {
        LearningRate = 5e-4;
        MinLearningRate = 5e-5;
        WeightDecay = 0;
        EvaluateEveryNSteps = 50;
        RestoreBestWeights = true;
    }

    /// <summary>The text column of instructions. Default <c>Instruction</c>.</summary>
    public string InstructionColumnName { get; init; } = "Instruction";

    /// <summary>The text column of inputs; null when there is none. Default <c>Input</c>.</summary>
    public string? InputColumnName { get; init; } = "Input";

    /// <summary>The text column of preferred responses. Default <c>Chosen</c>.</summary>
    public string ChosenColumnName { get; init; } = "Chosen";

    /// <summary>The text column of dispreferred responses. Default <c>Rejected</c>.</summary>
    public string RejectedColumnName { get; init; } = "Rejected";

    /// <summary>DPO's β: how far the policy may move from the reference (the book uses 0.1). Default 0.1.</summary>
    public double Beta { get; init; } = 0.1;

    /// <summary>What trains. Default <see cref="InstructionParameters.LoRA"/>.</summary>
    public InstructionParameters Parameters { get; init; } = InstructionParameters.LoRA;

    /// <summary>Rank of the LoRA adapters. Default 8.</summary>
    public int LoraRank { get; init; } = 8;

    /// <summary>LoRA scale numerator. Default 16.</summary>
    public double LoraAlpha { get; init; } = 16;

    /// <summary>The most tokens a model input may hold; null (the default) for the model's context length.</summary>
    public int? MaxLength { get; init; }

    /// <summary>What to do with a response longer than <see cref="MaxLength"/>; a pair with either side skipped is left out.
    /// Default <see cref="TooLongExamples.TruncatePrompt"/>.</summary>
    public TooLongExamples TooLong { get; init; } = TooLongExamples.TruncatePrompt;

    /// <summary>Pairs with the same columns for the validation loss and the reward accuracy; null for none.</summary>
    public IDataView? ValidationSet { get; init; }

    /// <summary>The frozen reference model; null (the default) for a copy of the policy's starting weights, as the book does.
    /// It must have the policy's shape and tokenizer.</summary>
    public InstructionTransformer? Reference { get; init; }

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        foreach (var (name, value) in new[] { (nameof(InstructionColumnName), InstructionColumnName), (nameof(ChosenColumnName), ChosenColumnName), (nameof(RejectedColumnName), RejectedColumnName) })
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} cannot be blank.", name);
        if (InputColumnName is { } input && string.IsNullOrWhiteSpace(input))
            throw new ArgumentException("InputColumnName cannot be blank; use null for pairs without inputs.", nameof(InputColumnName));
        if (!(Beta > 0) || double.IsInfinity(Beta)) throw new ArgumentOutOfRangeException(nameof(Beta), Beta, "Beta must be a positive finite number.");
        if (!Enum.IsDefined(Parameters)) throw new ArgumentOutOfRangeException(nameof(Parameters), Parameters, "Parameters must be LoRA or All.");
        if (!Enum.IsDefined(TooLong)) throw new ArgumentOutOfRangeException(nameof(TooLong), TooLong, "TooLong must be TruncatePrompt or Skip.");
        if (LoraRank < 1) throw new ArgumentOutOfRangeException(nameof(LoraRank), LoraRank, "LoraRank must be at least 1.");
        if (!(LoraAlpha > 0) || double.IsInfinity(LoraAlpha)) throw new ArgumentOutOfRangeException(nameof(LoraAlpha), LoraAlpha, "LoraAlpha must be a positive finite number.");
        if (MaxLength is < 2) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be at least 2, or null for the model's context.");
    }
}
