using Microsoft.ML;
using MLNetLlm.Preparation;
using MLNetLlm.Tokenization;

namespace MLNetLlm;

public sealed partial class LlmDataCatalog
{
    /// <summary>
    /// Cuts the token stream of a corpus into next-token training rows: <c>InputIds</c>, a window of the stream, and
    /// <c>TargetIds</c>, the same window one token later. The documents are joined in input order with
    /// <see cref="NextTokenWindowOptions.SeparatorId"/> between them; see <see cref="NextTokenWindowOptions"/> for the
    /// exact windows, the stride, the tail and the shuffle.
    /// </summary>
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
    public IDataView CreateNextTokenWindows(IDataView data, string tokenColumnName, NextTokenWindowOptions? options = null) =>
        LanguageModelingData.CreateNextTokenWindows(Environment, data, tokenColumnName, options);

    /// <summary>
    /// Tokenizes a text column as it streams and cuts the tokens into next-token training rows, as
    /// <see cref="CreateNextTokenWindows(IDataView, string, NextTokenWindowOptions?)"/> does for a token column. The
    /// separator between documents defaults to the tokenizer's <see cref="LlmTokenizer.EndOfTextId"/>.
    /// </summary>
    /// <param name="data">The corpus, one document a row.</param>
    /// <param name="textColumnName">The text column. Missing or empty texts add nothing to the stream.</param>
    /// <param name="tokenizer">The tokenizer, such as <see cref="LlmTokenizers.Gpt2()"/>.</param>
    /// <param name="options">The context length, stride, separator, tail and shuffle. Null: the defaults.</param>
    /// <returns>The windows, as for a token column. Each cursor tokenizes the corpus again.</returns>
    /// <exception cref="ArgumentException">The column is missing or is not text; an option is out of range or an id is not the tokenizer's.</exception>
    public IDataView CreateNextTokenWindows(IDataView data, string textColumnName, LlmTokenizer tokenizer,
        NextTokenWindowOptions? options = null) =>
        LanguageModelingData.CreateNextTokenWindows(Environment, data, textColumnName, tokenizer, options);

    /// <summary>
    /// Divides a corpus into training and validation parts for language modeling, by whole documents or by a cut in
    /// the token stream (see <see cref="LanguageModelingSplitUnit"/> for the exact semantics). Both parts stream.
    /// </summary>
    /// <param name="data">The corpus, one document a row.</param>
    /// <param name="validationFraction">The share of documents or tokens for validation, strictly between 0 and 1.</param>
    /// <param name="by">Split whole documents (the default) or the token stream.</param>
    /// <param name="tokenColumnName">The token column (a vector of Int64), needed to split by tokens.</param>
    /// <param name="seed">The seed of a split by documents. Null: the next seed of the <c>MLContext</c>.</param>
    /// <returns>
    /// The training and validation views, with the input's schema. By documents, a part's row count is known when the
    /// input's is. By tokens, this method reads the token column once to count the tokens.
    /// </returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="validationFraction"/> is not strictly between 0 and 1.</exception>
    /// <exception cref="ArgumentException">Splitting by tokens without a token column, or the column is missing or not a vector of Int64.</exception>
    public LanguageModelingSplit SplitForLanguageModeling(IDataView data, double validationFraction,
        LanguageModelingSplitUnit by = LanguageModelingSplitUnit.Documents, string? tokenColumnName = null, int? seed = null) =>
        LanguageModelingData.SplitForLanguageModeling(Environment, data, validationFraction, by, tokenColumnName, seed);
}
