using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using MLNetLlm.Kit;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Preparation;

/// <summary>
/// Language-modeling data from a corpus: next-token windows and train/validation splits. The data catalog
/// (<c>mlContext.Data.Llm</c>) calls these; trainers in other packages call them directly.
/// </summary>
public static class LanguageModelingData
{
    /// <summary>
    /// Cuts the token stream of a corpus into next-token training rows: <c>InputIds</c>, a window of the stream, and
    /// <c>TargetIds</c>, the same window one token later. The documents are joined in input order with
    /// <see cref="NextTokenWindowOptions.SeparatorId"/> between them; see <see cref="NextTokenWindowOptions"/> for the
    /// exact windows, the stride, the tail and the shuffle.
    /// </summary>
    /// <param name="environment">The ML.NET environment (an <c>MLContext</c>): seeds and log messages.</param>
    /// <param name="data">The corpus, one document a row.</param>
    /// <param name="tokenColumnName">
    /// A column of token ids, a vector of Int64: the Tokenize transform's variable-length output. A column padded to a
    /// fixed length would put its padding ids into the stream.
    /// </param>
    /// <param name="options">The context length, stride, separator, tail and shuffle. Null: the defaults.</param>
    /// <returns>
    /// A view with two columns, <c>InputIds</c> and <c>TargetIds</c> (names in the options), each a vector of
    /// <c>ContextLength</c> Int64; the input's other columns are not kept, as a row mixes documents. The view streams:
    /// each cursor reads <paramref name="data"/> once and holds one document and one window (or the shuffle pool), so a
    /// corpus larger than memory is fine. Its row count is known once a cursor has read to the end. An empty input gives
    /// an empty view. Padded target positions hold <see cref="NextTokenWindowOptions.IgnoredTargetId"/>.
    /// </returns>
    /// <exception cref="ArgumentException">The column is missing or is not a vector of Int64; an option is out of range.</exception>
    public static IDataView CreateNextTokenWindows(IHostEnvironment environment, IDataView data, string tokenColumnName, NextTokenWindowOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(data);
        var column = PreparationColumns.TokenColumn(data, tokenColumnName, nameof(tokenColumnName));
        var settings = WindowSettings.Resolve(options ?? new(), tokenizer: null, environment);
        return new NextTokenWindowDataView(() => new TokenColumnReader(data, column), settings);
    }

    /// <summary>
    /// Tokenizes a text column as it streams and cuts the tokens into next-token training rows, as
    /// <see cref="CreateNextTokenWindows(IHostEnvironment, IDataView, string, NextTokenWindowOptions?)"/> does for a token column. The
    /// separator between documents defaults to the tokenizer's <see cref="LlmTokenizer.EndOfTextId"/>.
    /// </summary>
    /// <param name="environment">The ML.NET environment (an <c>MLContext</c>): seeds and log messages.</param>
    /// <param name="data">The corpus, one document a row.</param>
    /// <param name="textColumnName">The text column. Missing or empty texts add nothing to the stream.</param>
    /// <param name="tokenizer">The tokenizer, such as <see cref="LlmTokenizers.Gpt2()"/>.</param>
    /// <param name="options">The context length, stride, separator, tail and shuffle. Null: the defaults.</param>
    /// <returns>The windows, as for a token column. Each cursor tokenizes the corpus again.</returns>
    /// <exception cref="ArgumentException">The column is missing or is not text; an option is out of range or an id is not the tokenizer's.</exception>
    public static IDataView CreateNextTokenWindows(IHostEnvironment environment, IDataView data, string textColumnName, LlmTokenizer tokenizer,
        NextTokenWindowOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var column = PreparationColumns.TextColumn(data, textColumnName, nameof(textColumnName));
        var settings = WindowSettings.Resolve(options ?? new(), tokenizer, environment);
        return new NextTokenWindowDataView(() => new TextColumnReader(data, column, tokenizer), settings);
    }

    /// <summary>
    /// Divides a corpus into training and validation parts for language modeling, by whole documents or by a cut in
    /// the token stream (see <see cref="LanguageModelingSplitUnit"/> for the exact semantics). Both parts stream.
    /// </summary>
    /// <param name="environment">The ML.NET environment (an <c>MLContext</c>): seeds and log messages.</param>
    /// <param name="data">The corpus, one document a row.</param>
    /// <param name="validationFraction">The share of documents or tokens for validation, strictly between 0 and 1.</param>
    /// <param name="by">Split whole documents (the default) or the token stream.</param>
    /// <param name="tokenColumnName">The token column (a vector of Int64), needed to split by tokens.</param>
    /// <param name="seed">The seed of a split by documents. Null: the next seed of the environment.</param>
    /// <returns>
    /// The training and validation views, with the input's schema. By documents, a part's row count is known when the
    /// input's is. By tokens, this method reads the token column once to count the tokens.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">Splitting by tokens without a token column, or the column is missing or not a vector of Int64.</exception>
    public static LanguageModelingSplit SplitForLanguageModeling(IHostEnvironment environment, IDataView data, double validationFraction,
        LanguageModelingSplitUnit by = LanguageModelingSplitUnit.Documents, string? tokenColumnName = null, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(data);
        if (!(validationFraction > 0 && validationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(validationFraction), validationFraction,
                $"{nameof(validationFraction)} must be strictly between 0 and 1.");
        DataViewSchema.Column? tokenColumn = tokenColumnName is null ? null
            : PreparationColumns.TokenColumn(data, tokenColumnName, nameof(tokenColumnName));
        return by switch
        {
            LanguageModelingSplitUnit.Documents => SplitDocuments(data, validationFraction,
                environment.NextSeed("SplitForLanguageModeling", seed)),
            LanguageModelingSplitUnit.Tokens => SplitTokens(environment, data, validationFraction, tokenColumn
                ?? throw new ArgumentException("Splitting by tokens needs the token column.", nameof(tokenColumnName))),
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, "Unknown split unit."),
        };
    }

    private static LanguageModelingSplit SplitDocuments(IDataView data, double fraction, int seed)
    {
        long? validationRows = null;
        if (data.GetRowCount() is long rows)
        {
            validationRows = 0;
            for (long position = 0; position < rows; position++)
                validationRows += DocumentSelector.IsValidation(seed, fraction, position) ? 1 : 0;
        }
        return new LanguageModelingSplit(
            new SplitPartDataView(data, () => new DocumentSelector(seed, fraction, validation: false), tokenColumn: null,
                data.GetRowCount() - validationRows),
            new SplitPartDataView(data, () => new DocumentSelector(seed, fraction, validation: true), tokenColumn: null,
                validationRows));
    }

    private static LanguageModelingSplit SplitTokens(IHostEnvironment environment, IDataView data, double fraction, DataViewSchema.Column tokenColumn)
    {
        long total = 0;
        using (var cursor = data.GetRowCursor([tokenColumn]))
        {
            var getter = cursor.GetGetter<VBuffer<long>>(tokenColumn);
            VBuffer<long> tokens = default;
            while (cursor.MoveNext())
            {
                getter(ref tokens);
                total += tokens.Length;
            }
        }
        long validationTokens = (long)Math.Round(fraction * total, MidpointRounding.AwayFromZero);
        long boundary = total - validationTokens;
        environment.LogInfo("SplitForLanguageModeling",
            $"Split {total} tokens of '{tokenColumn.Name}': {boundary} for training, {validationTokens} for validation.");
        return new LanguageModelingSplit(
            new SplitPartDataView(data, () => new TokenSelector(boundary, validation: false), tokenColumn, rowCount: null),
            new SplitPartDataView(data, () => new TokenSelector(boundary, validation: true), tokenColumn, rowCount: null));
    }
}
