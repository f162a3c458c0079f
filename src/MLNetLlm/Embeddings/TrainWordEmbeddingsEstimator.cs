using System.Diagnostics;
using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Embeddings;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.TrainWordEmbeddings</c>: <see cref="Fit"/> learns a word vector table
/// from a text or token-id column by skip-gram with negative sampling, and returns the transform that maps that column
/// to vectors (<see cref="WordEmbeddingsTransformer"/>).
/// </summary>
/// <remarks>
/// Fit reads the column twice (counting, then encoding) and keeps the corpus in memory as vocabulary indices, 4 bytes
/// a word. Empty rows add nothing; duplicate rows are trained on as often as they appear. Training is single-threaded
/// and deterministic for a seed.
/// </remarks>
public sealed class TrainWordEmbeddingsEstimator : IEstimator<WordEmbeddingsTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly WordEmbeddingsSettings _settings;
    private readonly SkipGramOptions _training;

    internal TrainWordEmbeddingsEstimator(IHostEnvironment environment, TrainWordEmbeddingsOptions options)
    {
        _environment = environment;
        _settings = WordEmbeddingsSettings.From(options);
        _training = options.Training;
    }

    /// <summary>Learns the word vectors from <paramref name="input"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The input column is missing or is neither text nor token ids.</exception>
    /// <exception cref="InvalidOperationException">No word is seen <see cref="SkipGramOptions.MinCount"/> times, or training diverged.</exception>
    public WordEmbeddingsTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = WordSource.Column(input.Schema, _settings.InputColumnName);
        var watch = Stopwatch.StartNew();
        var vocabulary = SkipGramVocabulary.FromDocuments(ReadDocuments(input, column), _training.MinCount);
        if (vocabulary.Count == 0)
            throw new InvalidOperationException(
                $"{WordEmbeddingsMapper.Component}: no word of column '{_settings.InputColumnName}' appears {_training.MinCount} times or more " +
                $"({nameof(SkipGramOptions.MinCount)}); the input is empty or too small.");
        var documents = ReadDocuments(input, column).Select(vocabulary.Encode).Where(d => d.Length > 1).ToList();
        long words = documents.Sum(d => (long)d.Length);
        _environment.LogInfo("TrainWordEmbeddings", $"Skip-gram on '{_settings.InputColumnName}': {vocabulary.Count} words in the vocabulary, " +
            $"{words} occurrences in {documents.Count} rows, dimension {_training.Dimension}, {_training.Epochs} epochs.");

        int seed = _environment.NextSeed("TrainWordEmbeddings", _training.Seed);
        var vectors = new SkipGramTrainer(vocabulary, _training, seed).Train(documents, m => _environment.LogInfo("TrainWordEmbeddings", m));
        _environment.LogInfo("TrainWordEmbeddings", $"Trained in {watch.Elapsed.TotalSeconds:0.0} s.");
        return new WordEmbeddingsTransformer(WordVectors.Create(vocabulary.Words, vectors, _training.Dimension), _settings);
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        WordSource.Column(inputSchema, _settings.InputColumnName);
        return SchemaShapes.WithAdded(inputSchema, [WordEmbeddingsMapper.OutputColumn(_settings, _training.Dimension)]);
    }

    private IEnumerable<List<string>> ReadDocuments(IDataView input, Microsoft.ML.DataViewSchema.Column column)
    {
        using var cursor = input.GetRowCursor([column]);
        var read = WordSource.Reader(cursor, column, _settings.LowerCase);
        while (cursor.MoveNext())
            yield return read();
    }
}
