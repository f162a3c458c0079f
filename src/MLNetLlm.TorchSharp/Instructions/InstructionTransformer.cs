using System.Text.Json;
using MLNetLlm.Generation;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Pretraining;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.TorchSharp.Instructions.InstructionTransformer.Loader))]

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// An instruction-following GPT in an ML.NET pipeline, made by fitting <c>mlContext.Transforms.Llm.FineTuneInstructions</c>
/// (or <c>TunePreferences</c>): for each row it renders the instruction (and input) through its
/// <see cref="Template"/>, generates, and writes the answer to the response column.
/// </summary>
/// <remarks>
/// Input: the instruction column and, when configured, the input column (text). Output: the response column (text).
/// Lazy; answers <c>BatchSize</c> rows per model call; the answer is cut at the end-of-text token and at the template's
/// stop sequences. Save it with <c>mlContext.Model.Llm.Save</c> (built-in templates only); export its <see cref="Gpt"/>
/// with <c>mlContext.Model.Llm.ExportOnnx</c> like any GPT (LoRA adapters are merged before it is returned). It owns
/// the model: dispose it when done.
/// </remarks>
public sealed class InstructionTransformer : ColumnMappingTransformer, ILlmPersistable, IDisposable
{
    internal const string Kind = "MLNetLlm.InstructionGpt";
    private const string SettingsFile = "instruct.json";
    private const string CheckpointFolder = "checkpoint";

    internal InstructionTransformer(GptTransformer gpt, PromptTemplate template, InstructionTransformerSettings settings, InstructionTuningReport? training = null)
    {
        if (gpt.Tokenizer is null) throw new ArgumentException("An instruction model needs the GPT's tokenizer to read prompts and write answers.", nameof(gpt));
        Gpt = gpt;
        Template = template;
        Settings = settings;
        Training = training;
    }

    /// <summary>
    /// An instruction transformer over any GPT, for instance an untuned one to compare with a tuned one. It takes
    /// ownership of <paramref name="gpt"/>: disposing it disposes the GPT.
    /// </summary>
    /// <param name="gpt">The model; it must have a tokenizer.</param>
    /// <param name="template">The prompt format; null for <see cref="PromptTemplates.Alpaca"/>.</param>
    /// <param name="instructionColumnName">The text column of instructions.</param>
    /// <param name="inputColumnName">The text column of inputs; null for none.</param>
    /// <param name="responseColumnName">The text column of answers.</param>
    /// <param name="generation">How to answer; null for greedy with at most 64 new tokens.</param>
    /// <exception cref="ArgumentException">The GPT has no tokenizer.</exception>
    public static InstructionTransformer Wrap(GptTransformer gpt, PromptTemplate? template = null, string instructionColumnName = "Instruction",
        string? inputColumnName = "Input", string responseColumnName = "Response", GenerationOptions? generation = null)
    {
        ArgumentNullException.ThrowIfNull(gpt);
        generation?.Validate();
        var settings = new InstructionTransformerSettings
        {
            InstructionColumnName = instructionColumnName,
            InputColumnName = inputColumnName,
            ResponseColumnName = responseColumnName,
            Generation = generation ?? new GenerationOptions { Greedy = true, MaxNewTokens = 64 },
            BatchSize = gpt.Options.BatchSize,
        };
        template ??= PromptTemplates.Alpaca;
        return new InstructionTransformer(gpt, template, settings with { Template = template.Name });
    }

    /// <summary>The GPT that answers; export it to ONNX like any GPT. Owned by this transformer.</summary>
    public GptTransformer Gpt { get; }

    /// <summary>How an instruction becomes the model's prompt.</summary>
    public PromptTemplate Template { get; }

    /// <summary>What fitting did (history, examples used, truncated and skipped, loss before and after); null when loaded.</summary>
    public InstructionTuningReport? Training { get; }

    /// <summary>What <c>TunePreferences</c> did, for a transformer it returned; null otherwise.</summary>
    public PreferenceTuningReport? Preferences { get; internal init; }

    internal InstructionTransformerSettings Settings { get; }

    string ILlmPersistable.PersistenceKind => Kind;

    /// <summary>Answers one instruction (greedy unless <paramref name="options"/> say otherwise).</summary>
    public string Answer(string instruction, string? input = null, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(instruction);
        return Answer([(instruction, input)], options)[0];
    }

    /// <summary>Answers many instructions, batched.</summary>
    public IReadOnlyList<string> Answer(IReadOnlyList<(string Instruction, string? Input)> instructions, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(instructions);
        var answers = new List<string>(instructions.Count);
        foreach (var chunk in instructions.Chunk(Settings.BatchSize))
            answers.AddRange(Gpt.GenerateBatch([.. chunk.Select(i => Template.GenerationPrompt(i.Instruction, i.Input))], options ?? Settings.Generation).Select(Cut));
        return answers;
    }

    /// <summary>Streams the answer to one instruction piece by piece (not cut at stop sequences).</summary>
    public IAsyncEnumerable<string> AnswerStreamingAsync(string instruction, string? input = null, GenerationOptions? options = null, CancellationToken cancellationToken = default) =>
        Gpt.GenerateStreamingAsync(Template.GenerationPrompt(instruction, input), options ?? Settings.Generation, cancellationToken);

    /// <summary>Releases the model.</summary>
    public void Dispose() => Gpt.Dispose();

    private string Cut(string answer)
    {
        int end = answer.Length;
        foreach (var stop in Template.StopSequences)
        {
            int at = answer.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0) end = Math.Min(end, at);
        }
        return answer[..end].Trim();
    }

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) => new InstructionMapper(inputSchema, this);

    void ILlmPersistable.SaveTo(string directory)
    {
        if (!InstructionTransformerSettings.IsBuiltIn(Template))
            throw new NotSupportedException($"The template '{Template.Name}' is user-defined: only the built-in templates (Alpaca, Phi-3, ChatML, Llama-3) are saved with the model.");
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(Settings with { Template = Template.Name }, PersistenceJson.Options));
        GptCheckpoint.Save(Gpt.Model, Path.Combine(directory, CheckpointFolder), Gpt.Tokenizer);
    }

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => InstructionTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<InstructionTransformerSettings>(Path.Combine(directory, SettingsFile));
            var template = InstructionTransformerSettings.TemplateNamed(settings.Template);
            var checkpoint = GptCheckpoint.Load(Path.Combine(directory, CheckpointFolder));
            var gpt = GptTransformer.Own(checkpoint.Model, checkpoint.Tokenizer, new GptTransformerOptions { TextColumnName = null, PromptColumnName = "Prompt" });
            try
            {
                return new InstructionTransformer(gpt, template, settings);
            }
            catch (ArgumentException e)
            {
                gpt.Dispose();
                throw new InvalidDataException($"The saved instruction model is inconsistent: {e.Message}", e);
            }
        }
    }
}

/// <summary>The instruction transform over one schema: a batch of instructions in, their answers out.</summary>
internal sealed class InstructionMapper : BatchedColumnMapper<(string Instruction, string? Input), string[]>
{
    private readonly InstructionTransformer _transformer;
    private readonly DataViewSchema.Column _instruction;
    private readonly DataViewSchema.Column? _input;

    public InstructionMapper(DataViewSchema inputSchema, InstructionTransformer transformer)
        : base(inputSchema, [new AddedColumn(transformer.Settings.ResponseColumnName, TextDataViewType.Instance)])
    {
        _transformer = transformer;
        _instruction = ColumnChecks.RequireText(inputSchema, transformer.Settings.InstructionColumnName, nameof(InstructionTransformer));
        _input = transformer.Settings.InputColumnName is { } input ? ColumnChecks.RequireText(inputSchema, input, nameof(InstructionTransformer)) : null;
    }

    public override int BatchSize => _transformer.Settings.BatchSize;

    protected override IEnumerable<DataViewSchema.Column> ReadColumns => _input is { } input ? [_instruction, input] : [_instruction];

    public override Func<(string Instruction, string? Input)> CreateReader(DataViewRow row, bool[] activeAdded)
    {
        var instruction = row.GetGetter<ReadOnlyMemory<char>>(_instruction);
        var input = _input is { } column ? row.GetGetter<ReadOnlyMemory<char>>(column) : null;
        return () =>
        {
            ReadOnlyMemory<char> text = default, extra = default;
            instruction(ref text);
            input?.Invoke(ref extra);
            return (text.ToString(), input is null ? null : extra.ToString());
        };
    }

    public override string[] Compute(IReadOnlyList<(string Instruction, string? Input)> inputs, bool[] activeAdded) => [.. _transformer.Answer(inputs)];

    public override Delegate Getter(int added, Func<string[]> batch, Func<int> offset) =>
        (ValueGetter<ReadOnlyMemory<char>>)((ref ReadOnlyMemory<char> value) => value = batch()[offset()].AsMemory());
}
