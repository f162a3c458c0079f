using MLNetLlm.Kit;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using Microsoft.ML;

namespace MLNetLlm.Tokenization;

/// <summary>
/// The estimator of <c>mlContext.Transforms.Llm.TrainBpeTokenizer</c>: <see cref="Fit"/> learns a byte-level BPE
/// vocabulary of the requested size from a text column (through <see cref="BpeTrainer"/>) and returns a
/// <see cref="TokenizeTransformer"/> with the learned tokenizer, ready to tokenize the same column.
/// </summary>
/// <remarks>
/// <see cref="Fit"/> reads the column once, streaming, and keeps word counts, not the texts. Null and empty texts
/// are skipped. Saved with <c>mlContext.Model.Llm.Save</c>, the fitted transform stores its vocabulary and merges,
/// so it reloads without the training data.
/// </remarks>
public sealed class TrainBpeTokenizerEstimator : IEstimator<TokenizeTransformer>
{
    private readonly IHostEnvironment _environment;
    private readonly TrainBpeTokenizerOptions _options;

    internal TrainBpeTokenizerEstimator(IHostEnvironment environment, TrainBpeTokenizerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options = options.Copy(); // later changes to the caller's options do not bypass these checks
        ArgumentNullException.ThrowIfNull(options.Training, nameof(options.Training));
        TokenizeSettings.CheckLayout(options.ToTokenizeOptions(null!));
        var training = options.Training;
        var specials = training.ToTokenizerOptions().AllSpecialTokens();
        if (options.AddBeginningOfSequence && !TokenizeSettings.HasDefaultSpecial(specials, training.EndOfTextToken, beginning: true))
            throw new ArgumentException("AddBeginningOfSequence needs a special token to add: keep Training.EndOfTextToken or add one such as <s>.", nameof(options));
        if (options.AddEndOfSequence && !TokenizeSettings.HasDefaultSpecial(specials, training.EndOfTextToken, beginning: false))
            throw new ArgumentException("AddEndOfSequence needs a special token to add: keep Training.EndOfTextToken or add one such as </s>.", nameof(options));
        if (training.VocabularySize < 256 + specials.Count)
            throw new ArgumentOutOfRangeException(nameof(options), training.VocabularySize, "Training.VocabularySize must hold the 256 byte tokens and the special tokens.");
        if (training.MinFrequency < 1)
            throw new ArgumentOutOfRangeException(nameof(options), training.MinFrequency, "Training.MinFrequency must be at least 1.");
        _environment = environment;
        _options = options;
    }

    /// <summary>Learns the vocabulary from the input column and returns the Tokenize transform that uses it.</summary>
    public TokenizeTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var column = ColumnChecks.RequireText(input.Schema, _options.InputColumnName, "TrainBpeTokenizer");
        long rows = 0;
        var tokenizer = BpeTrainer.Train(Texts(input, column, () => rows++), _options.Training);
        _environment.LogInfo("TrainBpeTokenizer",
            $"Learned a byte-level BPE vocabulary of {tokenizer.VocabularySize:N0} tokens ({tokenizer.Merges.Count:N0} merges) from {rows:N0} rows of '{column.Name}'.");
        return new TokenizeTransformer(tokenizer, TokenizeSettings.From(_options.ToTokenizeOptions(tokenizer)));
    }

    /// <inheritdoc/>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.RequireText(inputSchema, _options.InputColumnName, "TrainBpeTokenizer");
        var layout = _options.ToTokenizeOptions(null!);
        var settings = new TokenizeSettings
        {
            InputColumnName = layout.InputColumnName,
            OutputColumnName = layout.OutputColumnName,
            PadToLength = layout.PadToLength,
            AttentionMaskColumnName = layout.PadToLength is null ? null : layout.AttentionMaskColumnName,
            TokenStringsColumnName = layout.TokenStringsColumnName,
        };
        return SchemaShapes.WithAdded(inputSchema, TokenizeMapper.OutputColumns(settings));
    }

    /// <summary>The column's texts, read lazily with one cursor.</summary>
    private static IEnumerable<string?> Texts(IDataView data, DataViewSchema.Column column, Action counted)
    {
        using var cursor = data.GetRowCursor([column]);
        var getter = cursor.GetGetter<ReadOnlyMemory<char>>(column);
        ReadOnlyMemory<char> text = default;
        while (cursor.MoveNext())
        {
            getter(ref text);
            counted();
            yield return text.IsEmpty ? null : text.ToString();
        }
    }
}
