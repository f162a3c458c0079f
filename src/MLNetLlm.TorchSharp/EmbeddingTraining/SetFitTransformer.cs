using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.TorchSharp.Embeddings;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

[assembly: LlmLoader(typeof(MLNetLlm.TorchSharp.EmbeddingTraining.SetFitTransformer.Loader))]

namespace MLNetLlm.TorchSharp.EmbeddingTraining;

/// <summary>
/// A SetFit classifier, made by <c>SetFit</c>: the fine-tuned encoder embeds the text column
/// (<see cref="Embedding"/>), and ML.NET's logistic-regression <see cref="Head"/> scores the embeddings, adding the
/// standard <c>Score</c> and <c>PredictedLabel</c> columns (and <c>Probability</c> for binary).
/// </summary>
/// <remarks>
/// Saves with <c>mlContext.Model.Llm.Save</c>: the encoder as a Hugging Face folder with its tokenizer, the head with
/// <c>mlContext.Model.Save</c> inside the same package. Disposing the transformer disposes the encoder.
/// </remarks>
public sealed class SetFitTransformer : ITransformer, ILlmPersistable, IDisposable
{
    internal const string Kind = "MLNetLlm.SetFit";
    private const string SettingsFile = "setfit.json";
    private const string EmbeddingFolder = "embedding";
    private const string HeadFile = "head.zip";

    private readonly TransformerChain<ITransformer> _chain;
    private readonly DataViewSchema _headInputSchema;

    internal SetFitTransformer(SentenceEmbedderTransformer embedding, ITransformer head, DataViewSchema headInputSchema, IReadOnlyList<string> classLabels, bool binary)
    {
        Embedding = embedding;
        Head = head;
        ClassLabels = classLabels;
        IsBinary = binary;
        _headInputSchema = headInputSchema;
        _chain = new TransformerChain<ITransformer>(embedding, head);
    }

    /// <summary>The fine-tuned encoder and the column it writes.</summary>
    public SentenceEmbedderTransformer Embedding { get; }

    /// <summary>The fine-tuned encoder.</summary>
    public PretrainedEncoder Encoder => Embedding.Encoder;

    /// <summary>ML.NET's prediction transformer of the logistic-regression head (multiclass or binary).</summary>
    public ITransformer Head { get; }

    /// <summary>The class names in score order: <c>False</c>, <c>True</c> for binary; the label's key values for multiclass.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Whether the label is Boolean (binary classification).</summary>
    public bool IsBinary { get; }

    /// <summary>The contrastive stage's report; null for a transformer loaded from a file.</summary>
    public SentenceEmbedderReport? Report => Embedding.Report;

    /// <inheritdoc/>
    public bool IsRowToRowMapper => ((ITransformer)_chain).IsRowToRowMapper;

    /// <inheritdoc/>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => _chain.GetOutputSchema(inputSchema);

    /// <inheritdoc/>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => ((ITransformer)_chain).GetRowToRowMapper(inputSchema);

    /// <inheritdoc/>
    public IDataView Transform(IDataView input) => _chain.Transform(input);

    /// <summary>ML.NET's own saving cannot store third-party transformers: use <c>mlContext.Model.Llm.Save</c>.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx) => throw PersistenceErrors.UseLlmSave(nameof(SetFitTransformer));

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, SettingsFile), System.Text.Json.JsonSerializer.Serialize(new Settings(IsBinary, [.. ClassLabels]), PersistenceJson.Options));
        ((ILlmPersistable)Embedding).SaveTo(Directory.CreateDirectory(Path.Combine(directory, EmbeddingFolder)).FullName);
        using var stream = File.Create(Path.Combine(directory, HeadFile));
        new MLContext().Model.Save(Head, _headInputSchema, stream);
    }

    /// <summary>Disposes the encoder.</summary>
    public void Dispose() => Embedding.Dispose();

    private sealed record Settings(bool IsBinary, string[] ClassLabels);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => SetFitTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<Settings>(Path.Combine(directory, SettingsFile));
            if (settings.ClassLabels is not { Length: >= 2 })
                throw new InvalidDataException($"The saved SetFit classifier's {SettingsFile} lacks its class labels.");
            var headPath = Path.Combine(directory, HeadFile);
            if (!File.Exists(headPath))
                throw new InvalidDataException($"The saved SetFit classifier is incomplete: {HeadFile} is missing.");
            var ml = environment as MLContext ?? new MLContext();
            ITransformer head;
            DataViewSchema headSchema;
            using (var stream = File.OpenRead(headPath))
                head = ml.Model.Load(stream, out headSchema);
            var embedding = (SentenceEmbedderTransformer)new SentenceEmbedderTransformer.Loader().Load(environment, Path.Combine(directory, EmbeddingFolder));
            return new SetFitTransformer(embedding, head, headSchema, settings.ClassLabels, settings.IsBinary);
        }
    }
}
