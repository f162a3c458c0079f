using System.CommandLine;
using MLNetLlm.Chat;
using MLNetLlm.Onnx;
using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp.Pretraining;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// The options of the commands that answer with a decoder (chat, ask): <c>--model</c> (a GPT folder, a Llama-family
/// Hugging Face folder or an ONNX export with past key/values), <c>--template</c> and the sampling settings.
/// </summary>
internal sealed class GeneratorOption
{
    /// <summary>The template names <see cref="ParseTemplate"/> knows, in the order help and errors list them.</summary>
    private static readonly PromptTemplate[] Templates =
    [
        PromptTemplates.Alpaca, PromptTemplates.Phi3, PromptTemplates.ChatMl, PromptTemplates.Llama3,
        PromptTemplates.Llama2, PromptTemplates.Mistral, PromptTemplates.Zephyr, PromptTemplates.Gemma,
    ];

    private static string TemplateNames => string.Join(", ", Templates.Select(t => t.Name));

    public Option<string?> Model { get; } = new("--model", "-m") { Description = "A GPT folder (ours or a Hugging Face GPT-2 folder), a Hugging Face Llama-family folder (llama, qwen2, qwen3: Llama, SmolLM, Qwen, TinyLlama) or an .onnx export with past key/values (export-onnx --kind with-past). Default: the shipped brown-gpt." };

    public Option<string?> Template { get; } = new("--template", "-t")
    {
        Description = $"The chat format the model was tuned on: {TemplateNames}, or a format string with {{instruction}} and {{response}} (e.g. \"Q: {{instruction}}\\nA: {{response}}\\n\"). Default: a Llama-family folder's own chat template (tokenizer_config.json) when it has one, else alpaca.",
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
                r.AddError($"The model {Path.GetFullPath(path)} does not exist: give a GPT or Llama-family folder or an .onnx export with past key/values.");
        });
        Template.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<string?>() is not string value)
                return;
            try { ParseTemplate(value); }
            catch (ArgumentException e) { r.AddError($"--template: {e.Message}"); }
        });
    }

    /// <summary>The template a name or format string gives.</summary>
    /// <exception cref="ArgumentException">Neither a known name nor a valid format string.</exception>
    public static PromptTemplate ParseTemplate(string value) =>
        Templates.FirstOrDefault(t => string.Equals(t.Name, value, StringComparison.OrdinalIgnoreCase)) is { } template ? template
        : value.Contains("{instruction}", StringComparison.Ordinal) ? PromptTemplates.FromFormat(value.Replace("\\n", "\n", StringComparison.Ordinal))
        : throw new ArgumentException($"'{value}' is none of {TemplateNames}, nor a format string with {{instruction}} and {{response}}.");

    /// <summary>
    /// The chat client the command line names, in <c>--template</c> or the model's default (<see cref="DecoderModel.ChatClient"/>);
    /// the caller disposes <paramref name="owner"/>, which the client borrows.
    /// </summary>
    public GeneratorChatClient OpenChat(ParseResult parsed, CliConsole console, out IDisposable owner)
    {
        var path = parsed.GetValue(Model) is string given ? Path.GetFullPath(given) : GptModels.BrownPath;
        var template = parsed.GetValue(Template) is string name ? ParseTemplate(name) : null;
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase))
        {
            var onnx = new OnnxGptGenerator(path);
            owner = onnx;
            return onnx.AsIChatClient(template ?? PromptTemplates.Alpaca);
        }
        var model = DecoderModel.Open(path, new GptTransformerOptions { TextColumnName = null, PromptColumnName = "Prompt" });
        try
        {
            var client = model.ChatClient(template, out bool fromFolder);
            if (fromFolder)
                console.Error.WriteLine($"(chatting in the model folder's chat template: {client.Options.Template.Name})");
            owner = model;
            return client;
        }
        catch
        {
            model.Dispose();
            throw;
        }
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
