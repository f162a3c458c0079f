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
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.TorchSharp.Pretraining.GptTransformer.Loader))]

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// A GPT language model in an ML.NET pipeline: made by fitting <c>mlContext.Transforms.Llm.PretrainGpt</c> or by
/// <c>mlContext.Transforms.Llm.LoadGpt</c>. It adds a <c>Perplexity</c> column for a text (or token-id) column and a
/// <c>Completion</c> column for a prompt column (see <see cref="GptTransformerOptions"/>), and offers generation and
/// evaluation directly.
/// </summary>
/// <remarks>
/// <para>Input: the scored column (text, or a vector of Int64/Int32 token ids) and/or the prompt column (text). Output:
/// <c>Perplexity</c> (Single) and/or <c>Completion</c> (text). <see cref="ColumnMappingTransformer.Transform"/> is lazy and computes
/// <see cref="GptTransformerOptions.BatchSize"/> rows per model call; <c>CreatePredictionEngine</c> works, one row a call.
/// Save it with <c>mlContext.Model.Llm.Save</c> (weights as safetensors); not exportable to ONNX through ML.NET.</para>
/// <para>The transformer owns the model's native memory: dispose it when done. Scoring, completion, <c>Generate</c> and
/// <c>Evaluate</c> take turns on the model, so they may be called from several threads; a stream from
/// <see cref="GenerateStreamingAsync"/> does not hold the model between tokens, so do not run one beside other calls.</para>
/// </remarks>
public sealed class GptTransformer : ColumnMappingTransformer, ILlmPersistable, IDisposable, IDecoderTransformer
{
    internal const string Kind = "MLNetLlm.Gpt";
    private const string OptionsFile = "gpt.json";
    private const string CheckpointFolder = "checkpoint";
    private const string HistoryFile = "history.csv";

    private readonly DecoderSession _session;
    private bool _disposed;

    internal GptTransformer(GptModel model, LlmTokenizer? tokenizer, GptTransformerOptions options, GptTrainingReport? training = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (tokenizer is not null && tokenizer.VocabularySize > model.Config.VocabularySize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabularySize} ids but the model's vocabulary only {model.Config.VocabularySize}: they do not belong together.", nameof(tokenizer));
        Model = model;
        Tokenizer = tokenizer;
        Options = options;
        Training = training;
        model.eval();
        InferencePrecision.ApplyDecoder(model, options.Precision);
        _session = new DecoderSession(model, model.Config.ContextLength, tokenizer is null ? null : new GptGenerator(model, tokenizer), options);
    }

    /// <summary>A transformer that owns <paramref name="model"/>: disposed here when the arguments do not fit together.</summary>
    internal static GptTransformer Own(GptModel model, LlmTokenizer? tokenizer, GptTransformerOptions options, GptTrainingReport? training = null)
    {
        try
        {
            return new GptTransformer(model, tokenizer, options, training);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>The model. The transformer owns it: do not dispose it yourself.</summary>
    public GptModel Model { get; }

    /// <summary>The tokenizer of the model's ids, or null for a model trained on a token column without one.</summary>
    public LlmTokenizer? Tokenizer { get; }

    /// <summary>The columns read and written and the generation settings.</summary>
    public GptTransformerOptions Options { get; }

    /// <summary>What training did (history, figures), for a transformer made by fitting; null for a loaded model.</summary>
    public GptTrainingReport? Training { get; }

    string ILlmPersistable.PersistenceKind => Kind;

    /// <summary>Generates a continuation of <paramref name="prompt"/> and returns the new text only.</summary>
    /// <param name="prompt">The prompt; empty starts from the end-of-text token.</param>
    /// <param name="options">How to pick tokens; null uses <see cref="GptTransformerOptions.Generation"/>.</param>
    /// <exception cref="InvalidOperationException">The model has no tokenizer.</exception>
    public string Generate(string prompt, GenerationOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _session.Generate(prompt, options);
    }

    /// <summary>Generates up to <paramref name="maxNewTokens"/> tokens after <paramref name="prompt"/>, sampled at
    /// <paramref name="temperature"/> with <paramref name="seed"/>, or greedily when <paramref name="temperature"/> is 0.</summary>
    public string Generate(string prompt, int maxNewTokens, double temperature = 1.0, int? topK = null, ulong? seed = null) =>
        Generate(prompt, new GenerationOptions
        {
            MaxNewTokens = maxNewTokens,
            Greedy = temperature == 0,
            Temperature = temperature == 0 ? 1.0 : temperature,
            TopK = topK,
            Seed = seed,
        });

    /// <summary>Generates continuations of many prompts in one batch (new text only), under the model's lock.</summary>
    internal IReadOnlyList<string> GenerateBatch(IReadOnlyList<string> prompts, GenerationOptions options)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _session.GenerateBatch(prompts, options);
    }

    /// <summary>Streams the continuation of <paramref name="prompt"/> piece by piece while it is generated.</summary>
    public async IAsyncEnumerable<string> GenerateStreamingAsync(string prompt, GenerationOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        await foreach (var piece in _session.Stream(prompt, options, cancellationToken))
            yield return piece;
    }

    /// <summary>
    /// The mean next-token loss and its perplexity over the scored column of <paramref name="data"/>, each row a
    /// document (as the <c>Perplexity</c> column, but pooled over all tokens of all rows).
    /// </summary>
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
        return new GptMapper(inputSchema, this, new GptColumns(inputSchema, Options, Tokenizer is not null));
    }

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, OptionsFile), JsonSerializer.Serialize(Options, PersistenceJson.Options));
        GptCheckpoint.Save(Model, Path.Combine(directory, CheckpointFolder), Tokenizer);
    }

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => GptTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var options = PersistenceJson.Read<GptTransformerOptions>(Path.Combine(directory, OptionsFile));
            var checkpoint = GptCheckpoint.Load(Path.Combine(directory, CheckpointFolder));
            try
            {
                return Own(checkpoint.Model, checkpoint.Tokenizer, options);
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"The saved GPT transformer is inconsistent: {e.Message}", e);
            }
        }
    }
}
