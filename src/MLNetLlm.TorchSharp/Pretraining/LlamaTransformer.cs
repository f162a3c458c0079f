using System.Runtime.CompilerServices;
using System.Text.Json;
using MLNetLlm.Chat;
using MLNetLlm.Generation;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Prompting;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Checkpoints;
using MLNetLlm.TorchSharp.Generation;
using MLNetLlm.TorchSharp.Modeling;
using MLNetLlm.TorchSharp.Training;
using Microsoft.ML;
using Microsoft.ML.Runtime;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.TorchSharp.Pretraining.LlamaTransformer.Loader))]

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// A Llama-family language model (Llama, Qwen2/3, SmolLM) in an ML.NET pipeline, made by
/// <c>mlContext.Transforms.Llm.LoadLlama</c>. Like <see cref="GptTransformer"/> it adds a <c>Perplexity</c> column for
/// a text (or token-id) column and a <c>Completion</c> column for a prompt column (<see cref="GptTransformerOptions"/>),
/// and offers generation and evaluation directly.
/// </summary>
/// <remarks>
/// <para>Scoring and generation read at most <see cref="Window"/> tokens at once (longer texts are scored in chunks,
/// longer generations drop their oldest tokens). <see cref="AsIChatClient"/> chats in the folder's own chat template
/// (<see cref="ChatTemplate"/>, from its <c>tokenizer_config.json</c>) unless given another. Save it with <c>mlContext.Model.Llm.Save</c>: the model in the Hugging
/// Face layout, the tokenizer in MLNetLlm's. The transformer owns the model's native memory: dispose it when done.</para>
/// </remarks>
public sealed class LlamaTransformer : ColumnMappingTransformer, ILlmPersistable, IDisposable, IDecoderTransformer
{
    internal const string Kind = "MLNetLlm.Llama";
    private const string OptionsFile = "llama.json";
    private const string CheckpointFolder = "checkpoint";
    private const string TokenizerFolder = "tokenizer";

    private readonly DecoderSession _session;
    private readonly LlamaGenerator _generator;
    private readonly string? _chatTemplateProblem;
    private bool _disposed;

    private LlamaTransformer(LlamaModel model, LlmTokenizer tokenizer, GptTransformerOptions options, int? window, HuggingFaceChatTemplate? chatTemplate)
    {
        options.Validate();
        _generator = new LlamaGenerator(model, tokenizer, window);
        Model = model;
        Tokenizer = tokenizer;
        Options = options;
        FolderChatTemplate = chatTemplate;
        try
        {
            ChatTemplate = chatTemplate?.ToPromptTemplate();
        }
        catch (NotSupportedException e)
        {
            _chatTemplateProblem = e.Message;
        }
        _session = new DecoderSession(model, _generator.Window, _generator, options);
        model.eval();
        InferencePrecision.ApplyDecoder(model, options.Precision);
    }

    /// <summary>A transformer that owns <paramref name="model"/>: disposed here when the arguments do not fit together.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or the tokenizer has more ids than the model's vocabulary.</exception>
    internal static LlamaTransformer Own(LlamaModel model, LlmTokenizer tokenizer, GptTransformerOptions options, int? window = null, HuggingFaceChatTemplate? chatTemplate = null)
    {
        try
        {
            return new LlamaTransformer(model, tokenizer, options, window, chatTemplate);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The model. The transformer owns it: do not dispose it yourself.</summary>
    public LlamaModel Model { get; }

    /// <summary>The tokenizer of the model's ids.</summary>
    public LlmTokenizer Tokenizer { get; }

    LlmTokenizer? IDecoderTransformer.Tokenizer => Tokenizer;

    /// <summary>The columns read and written and the generation settings.</summary>
    public GptTransformerOptions Options { get; }

    /// <summary>The most tokens the model reads at once (<see cref="LlamaGenerator.Window"/>).</summary>
    public int Window => _session.Window;

    /// <summary>The chat template of the model's folder as written there, null when it has none (a base model).</summary>
    public HuggingFaceChatTemplate? FolderChatTemplate { get; }

    /// <summary>
    /// The built-in format the folder's chat template writes (ChatML for Qwen and SmolLM, Llama 3.1 for Llama 3.2, Zephyr
    /// for TinyLlama, ...: <see cref="PromptTemplates.FromHuggingFace"/>); null when the folder has no template or one of
    /// a family not recognised.
    /// </summary>
    public PromptTemplate? ChatTemplate { get; }

    /// <summary>
    /// The model as a <c>Microsoft.Extensions.AI</c> chat client that renders conversations in <paramref name="template"/>,
    /// by default the folder's own (<see cref="ChatTemplate"/>), and generates with <paramref name="options"/>' settings.
    /// The client borrows the model: dispose the transformer, not the client, to free it.
    /// </summary>
    /// <param name="template">The chat format; null for the folder's. Replaces <paramref name="options"/>' template.</param>
    /// <param name="options">Generation defaults and model id.</param>
    /// <exception cref="InvalidOperationException">No template was given and the folder has none, or one not recognised
    /// (the message says which and names the template families recognised).</exception>
    public GeneratorChatClient AsIChatClient(PromptTemplate? template = null, GeneratorChatClientOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        template ??= ChatTemplate ?? throw new InvalidOperationException(_chatTemplateProblem is null
            ? "The model's folder has no chat template (a base model): pass the format to chat in, for example AsIChatClient(PromptTemplates.ChatMl)."
            : "The model's folder has a chat template this transformer cannot use. " + _chatTemplateProblem);
        return _generator.AsIChatClient(template, options);
    }

    string ILlmPersistable.PersistenceKind => Kind;

    /// <summary>Generates a continuation of <paramref name="prompt"/> and returns the new text only.</summary>
    /// <param name="prompt">The prompt; empty starts from the tokenizer's document start (end-of-text, or <c>&lt;s&gt;</c> for SentencePiece).</param>
    /// <param name="options">How to pick tokens; null uses <see cref="GptTransformerOptions.Generation"/>.</param>
    public string Generate(string prompt, GenerationOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _session.Generate(prompt, options);
    }

    /// <summary>Streams the continuation of <paramref name="prompt"/> piece by piece while it is generated.</summary>
    public async IAsyncEnumerable<string> GenerateStreamingAsync(string prompt, GenerationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await foreach (var piece in _session.Stream(prompt, options, cancellationToken))
            yield return piece;
    }

    /// <summary>The mean next-token loss and its perplexity over the scored column of <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The scored column is missing or has the wrong type.</exception>
    public EvaluationResult Evaluate(IDataView data)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _session.Evaluate(data);
    }

    /// <summary>Releases the model's native memory.</summary>
    public void Dispose()
    {
        if (_disposed)
            return;
        _disposed = true;
        InferencePrecision.Release(Model);
        Model.Dispose();
    }

    GptBatchOutput IDecoderTransformer.Compute(IReadOnlyList<GptRowInput> rows, bool perplexity, bool completion)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _session.Compute(rows, perplexity, completion);
    }

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return new GptMapper(inputSchema, this, new GptColumns(inputSchema, Options, hasTokenizer: true));
    }

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, OptionsFile), JsonSerializer.Serialize(new SavedOptions(Options, Window, FolderChatTemplate), PersistenceJson.Options));
        HuggingFaceLlama.Save(Model, Path.Combine(directory, CheckpointFolder));
        Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
    }

    private sealed record SavedOptions(GptTransformerOptions Options, int Window, HuggingFaceChatTemplate? ChatTemplate = null);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => LlamaTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var saved = PersistenceJson.Read<SavedOptions>(Path.Combine(directory, OptionsFile));
            var tokenizer = LlmTokenizers.Load(Path.Combine(directory, TokenizerFolder));
            var model = HuggingFaceLlama.Load(Path.Combine(directory, CheckpointFolder));
            try
            {
                return Own(model, tokenizer, saved.Options, saved.Window, saved.ChatTemplate);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The saved Llama transformer is inconsistent: {e.Message}", e);
            }
        }
    }
}
