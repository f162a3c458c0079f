using MLNetLlm.Generation;
using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// Options of <c>mlContext.Transforms.Llm.FineTuneInstructions</c>: the GPT to start from, the columns, the template,
/// what trains, collation, and the shared optimisation settings of <see cref="TrainingOptions"/> (one row is one
/// example; <see cref="TrainingOptions.BatchSize"/> examples a batch).
/// </summary>
public sealed record InstructionTuningOptions : TrainingOptions
{
    /// <summary>Builds the options with instruction tuning's defaults: learning rate 1e-3 decaying to 1e-4, 5 % warmup,
    /// weight decay 0 (LoRA adapters start small and need no decay), evaluation every 50 steps, best weights restored.</summary>
    public InstructionTuningOptions()
    {
        LearningRate = 1e-3;
        MinLearningRate = 1e-4;
        WeightDecay = 0;
        EvaluateEveryNSteps = 50;
        RestoreBestWeights = true;
    }

    /// <summary>The text column of instructions. Default <c>Instruction</c>.</summary>
    public string InstructionColumnName { get; init; } = "Instruction";

    /// <summary>The text column of inputs (empty for none); null when the data has no input column. Default <c>Input</c>.</summary>
    public string? InputColumnName { get; init; } = "Input";

    /// <summary>The text column of expected responses, read when fitting. Default <c>Output</c>.</summary>
    public string OutputColumnName { get; init; } = "Output";

    /// <summary>The text column the fitted transformer writes its answers to. Default <c>Response</c>.</summary>
    public string ResponseColumnName { get; init; } = "Response";

    /// <summary>How an example becomes text. Default <see cref="PromptTemplates.Alpaca"/>, the book's format. Only the
    /// built-in templates can be saved with the model.</summary>
    public PromptTemplate Template { get; init; } = PromptTemplates.Alpaca;

    /// <summary>A GPT folder to start from (our checkpoint or a Hugging Face GPT-2 folder). Default null:
    /// <see cref="BaseModel"/> when set, else the shipped model (<see cref="GptModels.BrownPath"/>).</summary>
    public string? BaseModelPath { get; init; }

    /// <summary>A GPT in memory to start from (a fitted <c>PretrainGpt</c>, a <c>LoadGpt</c>); its weights are copied
    /// and it is left unchanged. Default null.</summary>
    public GptTransformer? BaseModel { get; init; }

    /// <summary>What trains. Default <see cref="InstructionParameters.LoRA"/>.</summary>
    public InstructionParameters Parameters { get; init; } = InstructionParameters.LoRA;

    /// <summary>Rank of the LoRA adapters, in [1, embedding size]. Default 8.</summary>
    public int LoraRank { get; init; } = 8;

    /// <summary>LoRA scale numerator (the adapter product is scaled by alpha / rank). Default 16.</summary>
    public double LoraAlpha { get; init; } = 16;

    /// <summary>Leave the prompt's tokens out of the loss, so it is over the response (and its end-of-text) only: the
    /// book's exercise 7.2. Default true.</summary>
    public bool MaskPrompt { get; init; } = true;

    /// <summary>The most tokens a model input may hold; null (the default) for the model's context length.</summary>
    public int? MaxLength { get; init; }

    /// <summary>What to do with an example longer than <see cref="MaxLength"/>. Default
    /// <see cref="TooLongExamples.TruncatePrompt"/>; counted in the report either way.</summary>
    public TooLongExamples TooLong { get; init; } = TooLongExamples.TruncatePrompt;

    /// <summary>Examples with the same columns for the validation loss (early stopping, best weights); null for none.</summary>
    public IDataView? ValidationSet { get; init; }

    /// <summary>How the fitted transformer answers. Default greedy, at most 64 new tokens, stopping at end-of-text.</summary>
    public GenerationOptions Generation { get; init; } = new() { Greedy = true, MaxNewTokens = 64 };

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        foreach (var (name, value) in new[] { (nameof(InstructionColumnName), InstructionColumnName), (nameof(OutputColumnName), OutputColumnName), (nameof(ResponseColumnName), ResponseColumnName) })
            if (string.IsNullOrWhiteSpace(value)) throw new ArgumentException($"{name} cannot be blank.", name);
        if (InputColumnName is { } input && string.IsNullOrWhiteSpace(input))
            throw new ArgumentException("InputColumnName cannot be blank; use null for data without inputs.", nameof(InputColumnName));
        ArgumentNullException.ThrowIfNull(Template, nameof(Template));
        if (BaseModelPath is not null && BaseModel is not null)
            throw new ArgumentException("Give one base model: BaseModelPath or BaseModel, not both.", nameof(BaseModelPath));
        if (BaseModelPath is { } path && string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("BaseModelPath cannot be blank; use null for the shipped model.", nameof(BaseModelPath));
        if (!Enum.IsDefined(Parameters)) throw new ArgumentOutOfRangeException(nameof(Parameters), Parameters, "Parameters must be LoRA or All.");
        if (!Enum.IsDefined(TooLong)) throw new ArgumentOutOfRangeException(nameof(TooLong), TooLong, "TooLong must be TruncatePrompt or Skip.");
        if (LoraRank < 1) throw new ArgumentOutOfRangeException(nameof(LoraRank), LoraRank, "LoraRank must be at least 1.");
        if (!(LoraAlpha > 0) || double.IsInfinity(LoraAlpha)) throw new ArgumentOutOfRangeException(nameof(LoraAlpha), LoraAlpha, "LoraAlpha must be a positive finite number.");
        if (MaxLength is < 2) throw new ArgumentOutOfRangeException(nameof(MaxLength), MaxLength, "MaxLength must be at least 2, or null for the model's context.");
        ArgumentNullException.ThrowIfNull(Generation, nameof(Generation));
        Generation.Validate();
    }
}
