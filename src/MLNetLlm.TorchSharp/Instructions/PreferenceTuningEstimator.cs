using System.Diagnostics;
using MLNetLlm.Kit;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.TunePreferences</c>: direct preference optimisation (DPO) of an
/// instruction-tuned GPT on prompt/chosen/rejected pairs, as the reference book's bonus notebook: the policy starts as a
/// copy of the given model, the frozen reference is that model (or <see cref="PreferenceTuningOptions.Reference"/>), the
/// loss is over response tokens only, and the reward margins and accuracy are reported. Returns an
/// <see cref="InstructionTransformer"/> with the start's template and columns.
/// </summary>
public sealed class PreferenceTuningEstimator : IEstimator<InstructionTransformer>
{
    private const string Component = "TunePreferences";
    private readonly IHostEnvironment _environment;
    private readonly InstructionTransformer _start;

    internal PreferenceTuningEstimator(IHostEnvironment environment, InstructionTransformer start, PreferenceTuningOptions options)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _environment = environment;
        _start = start;
        Options = options;
    }

    /// <summary>The settings, validated.</summary>
    public PreferenceTuningOptions Options { get; }

    /// <summary>Receives a <see cref="TrainingProgress"/> after every optimizer step. Default null.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        InstructionRows.Check(inputSchema, Component, Options.InstructionColumnName, Options.InputColumnName, Options.ChosenColumnName, Options.RejectedColumnName);
        return SchemaShapes.WithAdded(inputSchema, [new AddedColumn(_start.Settings.ResponseColumnName, TextDataViewType.Instance)]);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">A column is missing or not text, a pair's chosen equals its rejected
    /// response (the row is named), or the reference has another shape or tokenizer than the policy.</exception>
    public InstructionTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var clock = Stopwatch.StartNew();
        var reference = Options.Reference?.Gpt ?? _start.Gpt;
        var tokenizer = _start.Gpt.Tokenizer!;
        if (reference.Model.Config != _start.Gpt.Model.Config)
            throw new ArgumentException($"The reference model ({reference.Model.Config}) has another shape than the policy ({_start.Gpt.Model.Config}): DPO needs the same model for both.", nameof(Options.Reference));
        if (!CheckpointTokenizer.Matches(reference.Tokenizer!, tokenizer))
            throw new ArgumentException("The reference model's tokenizer gives other ids than the policy's: DPO needs the same model for both.", nameof(Options.Reference));

        var encoder = new InstructionEncoder(_start.Template, tokenizer, Math.Min(Options.MaxLength ?? int.MaxValue, _start.Gpt.Model.Config.ContextLength), Options.TooLong);
        var train = Pairs(input, encoder);
        var validation = Options.ValidationSet is { } set ? Pairs(set, encoder) : null;
        if (train.Count == 0) throw new ArgumentException("No preference pair fits in the model's context: nothing to train on.", nameof(input));
        _environment.LogInfo(Component, $"DPO on {train.Count} pairs ({encoder.Truncated} responses truncated from the prompt side, {encoder.Skipped} skipped as too long), beta {Options.Beta}.");

        var (policy, _, _) = TunedGpt.Load(null, _start.Gpt);
        try
        {
            var (_, parameters) = TunedGpt.Prepare(policy, Options.Parameters, Options.LoraRank, Options.LoraAlpha, Options.Seed);
            var task = new DpoTask(policy, reference.Model, train, validation, Options, encoder.EndOfText, parameters);
            var before = task.ValidationMetrics();
            var history = new TrainingLoop(task, Options, Progress, line => _environment.LogInfo(Component, line)).Run(default);
            var after = task.ValidationMetrics();
            TunedGpt.Finish(policy);
            var report = new PreferenceTuningReport(history, train.Count, encoder.Truncated, encoder.Skipped, before, after, clock.Elapsed);
            var gpt = GptTransformer.Own(policy, tokenizer, _start.Gpt.Options);
            policy = null!;
            return new InstructionTransformer(gpt, _start.Template, _start.Settings) { Preferences = report };
        }
        catch
        {
            policy?.Dispose();
            throw;
        }
    }

    internal List<PreferenceExample> Pairs(IDataView data, InstructionEncoder encoder)
    {
        var rows = InstructionRows.Read(data, Component, Options.InstructionColumnName, Options.InputColumnName, Options.ChosenColumnName, Options.RejectedColumnName);
        var pairs = new List<PreferenceExample>();
        for (int i = 0; i < rows.Count; i++)
        {
            var (instruction, inputText, chosen, rejected) = (rows[i][0]!, rows[i][1], rows[i][2]!, rows[i][3]!);
            if (string.IsNullOrWhiteSpace(instruction)) throw new ArgumentException($"Row {i + 1} has an empty instruction.", nameof(data));
            if (chosen == rejected)
                throw new ArgumentException($"Row {i + 1} has the same chosen and rejected response (\"{Shorten(chosen)}\"): a preference pair must differ.", nameof(data));
            var chosenExample = encoder.Encode(instruction, inputText, chosen);
            var rejectedExample = encoder.Encode(instruction, inputText, rejected);
            if (chosenExample is not null && rejectedExample is not null) pairs.Add(new PreferenceExample(chosenExample, rejectedExample));
        }
        return pairs;
    }

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..57] + "...";
}
