using System.CommandLine;
using Microsoft.ML;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// The options of the commands that answer with a GPT (chat, ask): <c>--model</c> (a GPT folder or an ONNX export
/// with past key/values), <c>--template</c> and the sampling settings.
/// </summary>
internal sealed class GeneratorOption
{
    public Option<string?> Model { get; } = new("--model", "-m") { Description = "A GPT folder (ours or a Hugging Face GPT-2 folder) or an .onnx export with past key/values (export-onnx --kind with-past). Default: the shipped brown-gpt." };

    public Option<string> Template { get; } = new("--template", "-t")
    {
        Description = "The chat format the model was tuned on: alpaca, phi3, chatml, llama3, or a format string with {instruction} and {response} (e.g. \"Q: {instruction}\\nA: {response}\\n\").",
        DefaultValueFactory = _ => "alpaca",
    };

    public Option<int> MaxNewTokens { get; } = Options.Positive(new Option<int>("--max-new-tokens", "-n") { Description = "Most tokens an answer.", DefaultValueFactory = _ => 128 });

    public Option<double> Temperature { get; } = new("--temperature") { Description = "Sampling temperature; 0 for greedy decoding.", DefaultValueFactory = _ => 0.7 };

    public Option<int?> TopK { get; } = new("--top-k") { Description = "Sample among the k most likely tokens.", DefaultValueFactory = _ => 40 };

    public Option<long?> Seed { get; } = new("--seed") { Description = "Seed of the sampling; none draws a fresh one." };

    public void AddTo(Command command)
    {
        command.Add(Model);
        command.Add(Template);
        command.Add(MaxNewTokens);
        command.Add(Temperature);
        command.Add(TopK);
        command.Add(Seed);
        Temperature.Validators.Add(r => { if (r.GetValueOrDefault<double>() is < 0 or double.NaN) r.AddError("--temperature must be 0 (greedy) or positive."); });
        TopK.Validators.Add(r => { if (r.GetValueOrDefault<int?>() is < 1) r.AddError("--top-k must be at least 1."); });
        Model.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is not string path)
                return;
            if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) ? !File.Exists(path) : !Directory.Exists(path))
                r.AddError($"The model {Path.GetFullPath(path)} does not exist: give a GPT folder or an .onnx export with past key/values.");
        });
        Template.Validators.Add(r =>
        {
            try { ParseTemplate(r.GetValueOrDefault<string>()!); }
            catch (ArgumentException e) { r.AddError($"--template: {e.Message}"); }
        });
    }

    /// <summary>The template a name or format string gives.</summary>
    /// <exception cref="ArgumentException">Neither a known name nor a valid format string.</exception>
    public static PromptTemplate ParseTemplate(string value) => value.ToLowerInvariant() switch
    {
        "alpaca" => PromptTemplates.Alpaca,
        "phi3" => PromptTemplates.Phi3,
        "chatml" => PromptTemplates.ChatMl,
        "llama3" => PromptTemplates.Llama3,
        _ when value.Contains("{instruction}", StringComparison.Ordinal) => PromptTemplates.FromFormat(value.Replace("\\n", "\n", StringComparison.Ordinal)),
        _ => throw new ArgumentException($"'{value}' is neither alpaca, phi3, chatml nor llama3, nor a format string with {{instruction}} and {{response}}."),
    };

    /// <summary>The generator the command line names; the caller disposes <paramref name="owner"/>.</summary>
    public static TextGenerator Load(ParseResult parsed, GeneratorOption options, out IDisposable owner)
    {
        var path = parsed.GetValue(options.Model) is string given ? Path.GetFullPath(given) : GptModels.BrownPath;
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var onnx = new OnnxGptGenerator(path);
            owner = onnx;
            return onnx;
        }
        var gpt = new MLContext(seed: 1).Transforms.Llm.LoadGpt(path, new GptTransformerOptions { TextColumnName = null, PromptColumnName = "Prompt" }).Transformer;
        owner = gpt;
        return new GptGenerator(gpt.Model, gpt.Tokenizer ?? throw new UsageException($"The GPT folder {path} has no tokenizer to read texts with."));
    }

    /// <summary>The chat settings from the sampling options.</summary>
    public Microsoft.Extensions.AI.ChatOptions ChatOptions(ParseResult parsed) => new()
    {
        MaxOutputTokens = parsed.GetValue(MaxNewTokens),
        Temperature = (float)parsed.GetValue(Temperature),
        TopK = parsed.GetValue(TopK),
        Seed = parsed.GetValue(Seed),
    };
}
