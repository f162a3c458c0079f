using System.Runtime.CompilerServices;
using System.Text.Json;
using MLNetLlm.Generation;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
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
/// longer generations drop their oldest tokens). Save it with <c>mlContext.Model.Llm.Save</c>: the model in the Hugging
/// Face layout, the tokenizer in MLNetLlm's. The transformer owns the model's native memory: dispose it when done.</para>
/// </remarks>
public sealed class LlamaTransformer : ColumnMappingTransformer, ILlmPersistable, IDisposable, IDecoderTransformer
{
    internal const string Kind = "MLNetLlm.Llama";
    private const string OptionsFile = "llama.json";
    private const string CheckpointFolder = "checkpoint";
    private const string TokenizerFolder = "tokenizer";

    private readonly DecoderSession _session;
    private bool _disposed;

    private LlamaTransformer(LlamaModel model, LlmTokenizer tokenizer, GptTransformerOptions options, int? window)
    {
        options.Validate();
        var generator = new LlamaGenerator(model, tokenizer, window);
        Model = model;
        Tokenizer = tokenizer;
        Options = options;
        _session = new DecoderSession(model, generator.Window, generator, options);
        model.eval();
        InferencePrecision.ApplyDecoder(model, options.Precision);
    }

    /// <summary>A transformer that owns <paramref name="model"/>: disposed here when the arguments do not fit together.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or the tokenizer has more ids than the model's vocabulary.</exception>
    internal static LlamaTransformer Own(LlamaModel model, LlmTokenizer tokenizer, GptTransformerOptions options, int? window = null)
    {
        try
        {
            return new LlamaTransformer(model, tokenizer, options, window);
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

    string ILlmPersistable.PersistenceKind => Kind;

    /// <summary>Generates a continuation of <paramref name="prompt"/> and returns the new text only.</summary>
    /// <param name="prompt">The prompt; empty starts from the end-of-text token.</param>
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
        File.WriteAllText(Path.Combine(directory, OptionsFile), JsonSerializer.Serialize(new SavedOptions(Options, Window), PersistenceJson.Options));
        HuggingFaceLlama.Save(Model, Path.Combine(directory, CheckpointFolder));
        Tokenizer.Save(Path.Combine(directory, TokenizerFolder));
    }

    private sealed record SavedOptions(GptTransformerOptions Options, int Window);

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
                return Own(model, tokenizer, saved.Options, saved.Window);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The saved Llama transformer is inconsistent: {e.Message}", e);
            }
        }
    }
}
