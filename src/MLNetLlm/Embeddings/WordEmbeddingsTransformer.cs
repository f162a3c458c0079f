using System.Text.Json;
using MLNetLlm.Kit;
using MLNetLlm.Persistence;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

[assembly: MLNetLlm.Kit.LlmLoader(typeof(MLNetLlm.Embeddings.WordEmbeddingsTransformer.Loader))]

namespace MLNetLlm.Embeddings;

/// <summary>
/// Maps a text or token-id column to word vectors from a <see cref="WordVectors"/> table: the mean vector of a row's
/// words, or each word's vector (<see cref="WordEmbeddingOutput"/>). Made by fitting
/// <c>mlContext.Transforms.Llm.TrainWordEmbeddings</c>; lazy, row by row.
/// </summary>
/// <remarks>
/// Words not in the table are left out of the mean (a row with none gets zeros) and are zeros per token. Works with
/// <c>CreatePredictionEngine</c>. Save it with <c>mlContext.Model.Llm.Save</c> (the table is stored as safetensors).
/// Not exportable to ONNX.
/// </remarks>
public sealed class WordEmbeddingsTransformer : Kit.ColumnMappingTransformer, ILlmPersistable
{
    internal const string Kind = "MLNetLlm.WordEmbeddings";
    private const string SettingsFile = "word-embeddings.json";
    private const string TableFolder = "table";

    private readonly WordEmbeddingsSettings _settings;

    internal WordEmbeddingsTransformer(WordVectors table, WordEmbeddingsSettings settings)
    {
        WordVectors = table;
        _settings = settings;
    }

    /// <summary>The learned table: vectors, nearest neighbours, analogies.</summary>
    public WordVectors WordVectors { get; }

    /// <summary>The column read.</summary>
    public string InputColumnName => _settings.InputColumnName;

    /// <summary>The vector column written.</summary>
    public string OutputColumnName => _settings.OutputColumnName;

    string ILlmPersistable.PersistenceKind => Kind;

    void ILlmPersistable.SaveTo(string directory)
    {
        File.WriteAllText(Path.Combine(directory, SettingsFile), JsonSerializer.Serialize(_settings, PersistenceJson.Options));
        WordVectorsFile.Save(WordVectors, Path.Combine(directory, TableFolder));
    }

    /// <inheritdoc/>
    protected override Kit.ColumnMapper MapperFor(DataViewSchema inputSchema) =>
        new WordEmbeddingsMapper(inputSchema, WordVectors, _settings);

    /// <summary>Reads what <see cref="ILlmPersistable.SaveTo"/> wrote.</summary>
    internal sealed class Loader : ILlmTransformerLoader
    {
        public string Kind => WordEmbeddingsTransformer.Kind;

        public ITransformer Load(IHostEnvironment environment, string directory)
        {
            var settings = PersistenceJson.Read<WordEmbeddingsSettings>(Path.Combine(directory, SettingsFile));
            try
            {
                settings.Validate();
            }
            catch (ArgumentException e)
            {
                throw new InvalidDataException($"{SettingsFile} holds invalid settings: {e.Message}", e);
            }
            return new WordEmbeddingsTransformer(WordVectorsFile.Load(Path.Combine(directory, TableFolder)), settings);
        }
    }
}
