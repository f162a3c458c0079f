using System.Diagnostics;
using TorchSharp;
using MLNetLlm.Kit;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.FineTuneInstructions</c>: continues a GPT on instruction examples
/// rendered through a template (Alpaca by default), on the shared training loop (AdamW, warmup and cosine decay,
/// clipping, early stopping, checkpoints, resume, progress), training LoRA adapters (merged at the end) or all weights,
/// and returns an <see cref="InstructionTransformer"/> that answers the instruction column.
/// </summary>
/// <remarks>
/// Characteristics: input the instruction, input and output text columns (output only to fit); output the response
/// column; saves with <c>mlContext.Model.Llm.Save</c>; the GPT exports to ONNX. Deterministic for a seed.
/// </remarks>
public sealed class InstructionTuningEstimator : IEstimator<InstructionTransformer>
{
    private const string Component = "FineTuneInstructions";
    private readonly IHostEnvironment _environment;

    internal InstructionTuningEstimator(IHostEnvironment environment, InstructionTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        Options = options;
    }

    /// <summary>The settings, validated.</summary>
    public InstructionTuningOptions Options { get; }

    /// <summary>Receives a <see cref="TrainingProgress"/> after every optimizer step. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <summary>Stops training (a checkpoint is kept when a checkpoint folder is set). Default none.</summary>
    public CancellationToken CancellationToken { get; init; }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        InstructionRows.Check(inputSchema, Component, Options.InstructionColumnName, Options.InputColumnName, Options.OutputColumnName);
        return SchemaShapes.WithAdded(inputSchema, [new AddedColumn(Options.ResponseColumnName, TextDataViewType.Instance)]);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A column is missing or not text, no example fits, or the base model has no tokenizer.</exception>
    public InstructionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var clock = Stopwatch.StartNew();
        var train = Read(input);
        var validation = Options.ValidationSet is { } set ? Read(set) : null;
        var (model, tokenizer, description) = TunedGpt.Load(Options.BaseModelPath, Options.BaseModel);
        try
        {
            var encoder = new InstructionEncoder(Options.Template, tokenizer, Math.Min(Options.MaxLength ?? int.MaxValue, model.Config.ContextLength), Options.TooLong);
            var trainExamples = train.Select(r => encoder.Encode(r[0]!, r[1], r[2]!)).OfType<InstructionExample>().ToList();
            var validationExamples = validation?.Select(r => encoder.Encode(r[0]!, r[1], r[2]!)).OfType<InstructionExample>().ToList();
            if (trainExamples.Count == 0)
                throw new ArgumentException($"None of the {train.Count} training examples fits in {Options.MaxLength ?? model.Config.ContextLength} tokens: nothing to train on.", nameof(input));
            _environment.LogInfo(Component, $"Instruction tuning {description} on {trainExamples.Count} examples ({encoder.Truncated} truncated from the prompt side, {encoder.Skipped} skipped as too long).");

            if (Options.Device is { } device) model.to(new torch.Device(device));
            double? before = validationExamples is { Count: > 0 } ? InstructionTask.MeanLoss(model, validationExamples, Options.BatchSize, encoder.EndOfText, Options.MaskPrompt) : null;
            var (trained, parameters) = TunedGpt.Prepare(model, Options.Parameters, Options.LoraRank, Options.LoraAlpha, Options.Seed);
            var task = new InstructionTask(model, trainExamples, validationExamples, Options, encoder.EndOfText, Options.MaskPrompt, parameters);
            var history = new TrainingLoop(task, Options, Progress, line => _environment.LogInfo(Component, line)).Run(CancellationToken);
            var adapter = Options.Parameters == InstructionParameters.LoRA ? LoraAdapter.Capture(model) : null;
            TunedGpt.Finish(model);
            double? after = validationExamples is { Count: > 0 } ? InstructionTask.MeanLoss(model, validationExamples, Options.BatchSize, encoder.EndOfText, Options.MaskPrompt) : null;

            var report = new InstructionTuningReport(history, trainExamples.Count, encoder.Truncated, encoder.Skipped, before, after, trained, clock.Elapsed, adapter);
            var gpt = GptTransformer.Own(model, tokenizer, new GptTransformerOptions { TextColumnName = null, PromptColumnName = "Prompt", Generation = Options.Generation, BatchSize = Options.BatchSize });
            model = null!;
            return new InstructionTransformer(gpt, Options.Template, new InstructionTransformerSettings
            {
                InstructionColumnName = Options.InstructionColumnName,
                InputColumnName = Options.InputColumnName,
                ResponseColumnName = Options.ResponseColumnName,
                Template = Options.Template.Name,
                Generation = Options.Generation,
                BatchSize = Options.BatchSize,
            }, report);
        }
        catch
        {
            model?.Dispose();
            throw;
        }
    }

    private List<string?[]> Read(IDataView data)
    {
        var rows = InstructionRows.Read(data, Component, Options.InstructionColumnName, Options.InputColumnName, Options.OutputColumnName);
        for (int i = 0; i < rows.Count; i++)
            if (string.IsNullOrWhiteSpace(rows[i][0]))
                throw new ArgumentException($"Row {i + 1} has an empty instruction in column '{Options.InstructionColumnName}'.", nameof(data));
        return rows;
    }
}
