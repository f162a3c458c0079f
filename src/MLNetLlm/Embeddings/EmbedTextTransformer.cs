using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using MLNetLlm.Tokenization;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Embeddings.EmbedTextTransformer.Loader))]

namespace MLNetLlm.Embeddings;

/// <summary>
/// Embeds a text column into a fixed-length Single vector per row with a <see cref="TextEmbedder"/>, lazily and in
/// batches: a cursor over <see cref="ColumnMappingTransformer.Transform"/>'s view embeds <c>BatchSize</c> rows per model call, the first time
/// one of them is read. Made by <c>mlContext.Transforms.Llm.EmbedText</c>.
/// </summary>
/// <remarks>
/// <para>Input: one text column. Output: a known-size vector of <see cref="TextEmbedder.Dimension"/> Single. Null and
/// empty texts are embedded as the empty text (for the built-in model, the embedding of <c>[CLS] [SEP]</c>);
/// duplicate texts get identical vectors. A text longer than the embedder's window is read whole, in windows, as
/// <see cref="LongTexts"/> says (saved with the stage). An embedding with NaN or infinity stops the cursor with an error naming the
/// row. Works with <c>CreatePredictionEngine</c> (one row per call). Save it with <c>mlContext.Model.Llm.Save</c>.
/// Not exportable to ONNX.</para>
/// <para>The view reads its input twice side by side (one cursor for the batch ahead, one for the current row), so the
/// input must give the same rows in the same order on every cursor, as ML.NET loaders and transforms do (a shuffling
/// cursor gives both the same seed). Memory follows one batch.</para>
/// <para>Disposing it releases the embedder only when the library made that embedder (<c>EmbedTextWithOnnx</c>, a loaded
/// model), once every transformer sharing it is disposed; an embedder you passed in stays yours to dispose.</para>
/// </remarks>
public sealed class EmbedTextTransformer : ColumnMappingTransformer, ILlmPersistable, IDisposable
{
    internal const string Kind = "MLNetLlm.EmbedText";
    internal const string Component = "EmbedText";
    private const string SettingsFile = "embed-text.json";
    private const string EmbedderFolder = "embedder";

    private readonly EmbedTextSettings _settings;
    private readonly SharedResource<TextEmbedder>? _owned;
    private int _disposed;

    // owned: the embedder the library made, shared with the other transformers of one estimator; this one claims a hold.
    internal EmbedTextTransformer(TextEmbedder embedder, EmbedTextSettings settings, SharedResource<TextEmbedder>? owned = null)
    {
        owned?.Claim();
        Embedder = embedder;
        _settings = settings;
        _owned = owned;
    }

    /// <summary>The embedder.</summary>
    public TextEmbedder Embedder { get; }

    /// <summary>The text column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The vector column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    /// <summary>Rows embedded per model call.</summary>
    public int BatchSize => _settings.BatchSize;

    /// <summary>How texts longer than the embedder's window are read (<see cref="LongTextOptions.FirstWindowOnly"/> for a stage saved before windows existed).</summary>
    public LongTextOptions LongTexts => _settings.LongTextsOrFirstWindow;

    string ILlmPersistable.PersistenceKind => Kind;

    /// <summary>Gives back this transformer's hold on an embedder the library made; the last hold disposes it. An embedder passed in by the caller is left alone.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
            _owned?.Release();
    }

    internal static AddedColumn OutputColumn(EmbedTextSettings settings, TextEmbedder embedder) =>
        new(settings.OutputColumnName, new VectorDataViewType(NumberDataViewType.Single, embedder.Dimension));

    void ILlmPersistable.SaveTo(string directory)
    {
        var saved = new SavedEmbedText
        {
            Settings = _settings,
            EmbedderKind = Embedder.PersistenceKind,
            EmbedderAssembly = Embedder.LoaderAssemblyName,
            Dimension = Embedder.Dimension,
        };
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(saved, PersistenceJson.Options));
        Embedder.SaveTo(Directory.CreateDirectory(Path.Combine(directory, EmbedderFolder)).FullName);
    }

    /// <inheritdoc/>
    protected override ColumnMapper MapperFor(DataViewSchema inputSchema) => new EmbedTextMapper(inputSchema, Embedder, _settings, _owned);

    /// <summary>The JSON of a saved EmbedText stage.</summary>
    internal sealed record SavedEmbedText
    {
        public required EmbedTextSettings Settings { get; init; }
        public required string EmbedderKind { get; init; }
        public string? EmbedderAssembly { get; init; }
        public required int Dimension { get; init; }
    }

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => EmbedTextTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var saved = PersistenceJson.Read<SavedEmbedText>(Path.Combine(directory, SettingsFile));
            try
            {
                saved.Settings.Validate();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{SettingsFile} holds invalid settings: {e.Message}", e);
            }
            var embedderDirectory = Path.Combine(directory, EmbedderFolder);
            if (!Directory.Exists(embedderDirectory))
                throw new InvalidDataException($"The saved EmbedText stage is incomplete: the folder '{EmbedderFolder}' is missing.");
            var embedder = SavedEmbedderLoader.Find(saved.EmbedderKind, saved.EmbedderAssembly).Load(embedderDirectory);
            if (embedder.Dimension != saved.Dimension)
                throw new InvalidDataException($"The saved embedder gives vectors of {embedder.Dimension} floats, but the model was saved with {saved.Dimension}.");
            return new EmbedTextTransformer(embedder, saved.Settings, new SharedResource<TextEmbedder>(embedder, Component));
        }
    }
}
