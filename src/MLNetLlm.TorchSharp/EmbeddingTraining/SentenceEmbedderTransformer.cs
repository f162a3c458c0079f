using MLNetLlm.Embeddings;
using MLNetLlm.Kit;
using MLNetLlm.Onnx;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Embeddings;
using MLNetLlm.TorchSharp.Onnx;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

[assembly: LlmLoader(typeof(MLNetLlm.TorchSharp.EmbeddingTraining.SentenceEmbedderTransformer.Loader))]

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// A trained sentence embedder in a pipeline, made by <c>mlContext.Transforms.Llm.TrainSentenceEmbedder</c>: the
/// <c>EmbedText</c> transformer (<see cref="Embedding"/>) over the trained <see cref="Encoder"/>, which embeds the
/// input column into a vector column exactly as <c>EmbedText</c> does, with the training's <see cref="Report"/>.
/// </summary>
/// <remarks>
/// Output: a known-size vector of <c>Encoder.Dimension</c> Single, L2-normalised when the base encoder was (the
/// bundled ones are). Saves with <c>mlContext.Model.Llm.Save</c> (the encoder as a Hugging Face folder with its
/// tokenizer); exports to ONNX as an embedder (<see cref="ExportToOnnx"/>, or <c>mlContext.Model.Llm.ExportOnnx</c>)
/// for the core's <c>EmbedTextWithOnnx</c>. The encoder is also a <see cref="TextEmbedder"/> of its own, for
/// <c>EmbedText</c>, topics or search. Disposing the transformer disposes the encoder.
/// </remarks>
public sealed class SentenceEmbedderTransformer : ITransformer, ILlmPersistable, IDisposable
{
    internal const string Kind = "MLNetLlm.TrainedSentenceEmbedder";
    private const string EmbedTextKind = "MLNetLlm.EmbedText";

    internal SentenceEmbedderTransformer(EmbedTextTransformer embedding, SentenceEmbedderReport? report)
    {
        Embedding = embedding;
        Encoder = embedding.Embedder as PretrainedEncoder
            ?? throw new InvalidDataException($"A trained sentence embedder runs a PretrainedEncoder, not {embedding.Embedder.GetType().Name}.");
        Report = report;
    }

    /// <summary>The trained encoder.</summary>
    public PretrainedEncoder Encoder { get; }

    /// <summary>The <c>EmbedText</c> transformer that runs it.</summary>
    public EmbedTextTransformer Embedding { get; }

    /// <summary>What training did; null for a transformer loaded from a file.</summary>
    public SentenceEmbedderReport? Report { get; }

    /// <summary>The text column embedded.</summary>
    public string InputColumnName => Embedding.InputColumnName;

    /// <summary>The vector column written.</summary>
    public string OutputColumnName => Embedding.OutputColumnName;

    /// <summary>Exports the trained encoder as an ONNX embedder (its pooling and normalisation inside), for <c>EmbedTextWithOnnx</c>.</summary>
    /// <param name="path">The .onnx file to write.</param>
    /// <param name="options">Weight type and external data; null for the defaults.</param>
    public LlmOnnxMetadata ExportToOnnx(string path, OnnxExportOptions? options = null) => Encoder.ExportToOnnx(path, options);

    /// <inheritdoc/>
    public bool IsRowToRowMapper => Embedding.IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => Embedding.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => Embedding.GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => Embedding.Transform(input);

    /// <summary>ML.NET's own saving cannot store third-party transformers: use <c>mlContext.Model.Llm.Save</c>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw PersistenceErrors.UseLlmSave(nameof(SentenceEmbedderTransformer));

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory) => ((ILlmPersistable)Embedding).SaveTo(directory);

    /// <summary>Disposes the encoder.</summary>
    public void Dispose() => Encoder.Dispose();

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote: an <c>EmbedText</c> stage over the encoder.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => SentenceEmbedderTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var loader = LlmLoaders.Find<ILlmTransformerLoader>(EmbedTextKind, typeof(EmbedTextTransformer).Assembly.GetName().Name, "saved transformers");
            var embedding = loader.Load(environment, directory) as EmbedTextTransformer
                ?? throw new InvalidDataException("The saved sentence embedder does not hold an EmbedText stage.");
            return new SentenceEmbedderTransformer(embedding, report: null);
        }
    }
}
