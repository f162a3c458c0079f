using Microsoft.ML;
using MLNetLlm.Chat;
using MLNetLlm.Generation;
using MLNetLlm.Onnx;
using MLNetLlm.Prompting;
using MLNetLlm.TorchSharp;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Onnx;
using MLNetLlm.TorchSharp.Pretraining;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.Cli.Commands;

/// <summary>
/// A decoder folder of either family the library loads (<see cref="DecoderFolder.FamilyOf"/>): a GPT through
/// <c>LoadGpt</c> or a Llama-family model through <c>LoadLlama</c>, with what the commands ask of it.
/// </summary>
internal sealed class DecoderModel : IDisposable
{
    private readonly GptTransformer? _gpt;
    private readonly LlamaTransformer? _llama;

    private DecoderModel(GptTransformer? gpt, LlamaTransformer? llama) => (_gpt, _llama) = (gpt, llama);

    /// <summary>Opens the folder at <paramref name="path"/>.</summary>
    public static DecoderModel Open(string path, GptTransformerOptions options)
    {
        var ml = new MLContext(seed: 1);
        return DecoderFolder.FamilyOf(path) == BackboneFamily.Llama
            ? new DecoderModel(null, ml.Transforms.Llm.LoadLlama(path, options).Transformer)
            : new DecoderModel(ml.Transforms.Llm.LoadGpt(path, options).Transformer, null);
    }

    /// <summary>
    /// Refuses a Llama-family folder for a command whose library call takes GPTs only, naming what it accepts;
    /// a folder of a model type no decoder loader reads is refused too.
    /// </summary>
    public static void RequireGpt(string path, string job, string accepted)
    {
        if (DecoderFolder.FamilyOf(path) == BackboneFamily.Llama)
            throw new UsageException($"{Path.GetFullPath(path)} is a Llama-family folder, and {job} takes {accepted}, not Llama-family models yet.");
    }

    /// <summary>Streams the continuation of <paramref name="prompt"/>.</summary>
    public IAsyncEnumerable<string> GenerateStreamingAsync(string prompt, GenerationOptions options, CancellationToken cancellationToken) =>
        _llama?.GenerateStreamingAsync(prompt, options, cancellationToken) ?? _gpt!.GenerateStreamingAsync(prompt, options, cancellationToken);

    /// <summary>Loss and perplexity over the scored column of <paramref name="data"/>.</summary>
    public EvaluationResult Evaluate(IDataView data) => _llama?.Evaluate(data) ?? _gpt!.Evaluate(data);

    /// <summary>
    /// A chat client in <paramref name="template"/>; when null, in a Llama folder's own chat template
    /// (<see cref="LlamaTransformer.ChatTemplate"/>) if it has one, else Alpaca. <paramref name="fromFolder"/> says which.
    /// </summary>
    public GeneratorChatClient ChatClient(PromptTemplate? template, out bool fromFolder)
    {
        fromFolder = template is null && _llama?.FolderChatTemplate is not null;
        if (_llama is not null)
        {
            try
            {
                return _llama.AsIChatClient(fromFolder ? null : template ?? PromptTemplates.Alpaca);
            }
            catch (InvalidOperationException e)
            {
                throw new UsageException($"{e.Message} Pass --template to name the format.");
            }
        }
        var tokenizer = _gpt!.Tokenizer ?? throw new UsageException("The GPT folder has no tokenizer to read texts with.");
        return new GptGenerator(_gpt.Model, tokenizer).AsIChatClient(template ?? PromptTemplates.Alpaca);
    }

    /// <summary>Exports the model as <paramref name="options"/> say (logits, with past key/values or an embedder).</summary>
    public LlmOnnxMetadata ExportOnnx(string path, OnnxExportOptions options) => _llama is not null
        ? OnnxExporter.Export(_llama.Model, _llama.Tokenizer, path, options)
        : new MLContext().Model.Llm.ExportOnnx(_gpt!, path, options);

    /// <summary>Releases the model.</summary>
    public void Dispose()
    {
        _gpt?.Dispose();
        _llama?.Dispose();
    }
}
