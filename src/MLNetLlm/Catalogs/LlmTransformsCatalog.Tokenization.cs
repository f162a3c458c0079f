using MLNetLlm.Kit;
using MLNetLlm.Tokenization;

namespace MLNetLlm;

public sealed partial class LlmTransformsCatalog
{
    /// <summary>
    /// Tokenizes the text column <paramref name="inputColumnName"/> into Int64 token ids in <paramref name="outputColumnName"/>.
    /// </summary>
    /// <param name="outputColumnName">The ids column: a variable-length Int64 vector (known-size with <paramref name="padToLength"/>).</param>
    /// <param name="inputColumnName">The text column.</param>
    /// <param name="tokenizer">The tokenizer, for example <see cref="LlmTokenizers.Gpt2()"/>.</param>
    /// <param name="maxLength">The most ids a row keeps, added BOS/EOS included; null for no limit.</param>
    /// <param name="addBeginningOfSequence">Whether to put the tokenizer's beginning-of-sequence id first.</param>
    /// <param name="addEndOfSequence">Whether to put the tokenizer's end-of-sequence id last.</param>
    /// <param name="padToLength">Pads (and truncates) every row to this length and adds an <c>AttentionMask</c> column, the shape <c>ApplyOnnxModel</c> takes.</param>
    /// <example><code>
    /// var pipeline = ml.Transforms.Llm.Tokenize("Tokens", "Text", LlmTokenizers.Gpt2(), maxLength: 1024);
    /// </code></example>
    public TokenizeEstimator Tokenize(string outputColumnName, string inputColumnName, LlmTokenizer tokenizer,
        int? maxLength = null, bool addBeginningOfSequence = false, bool addEndOfSequence = false, int? padToLength = null) =>
        Tokenize(new TokenizeOptions
        {
            Tokenizer = tokenizer,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            MaxLength = maxLength,
            AddBeginningOfSequence = addBeginningOfSequence,
            AddEndOfSequence = addEndOfSequence,
            PadToLength = padToLength,
        });

    /// <summary>Tokenizes a text column into Int64 token ids, as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public TokenizeEstimator Tokenize(TokenizeOptions options)
    {
        var estimator = new TokenizeEstimator(options);
        Environment.LogInfo("Tokenize", $"Tokenize '{options.InputColumnName}' -> '{options.OutputColumnName}' with {options.Tokenizer.Name}.");
        return estimator;
    }

    /// <summary>Decodes the token ids of <paramref name="inputColumnName"/> back to text in <paramref name="outputColumnName"/>.</summary>
    /// <param name="outputColumnName">The text column.</param>
    /// <param name="inputColumnName">The ids column: a vector of Int64 or Int32.</param>
    /// <param name="tokenizer">The tokenizer that made the ids.</param>
    /// <param name="attentionMaskColumnName">A mask column beside padded ids: ids whose mask is 0 are left out.</param>
    /// <param name="skipSpecialTokens">Whether to leave out special tokens such as <c>&lt;|endoftext|&gt;</c>.</param>
    public DecodeTokensEstimator DecodeTokens(string outputColumnName, string inputColumnName, LlmTokenizer tokenizer,
        string? attentionMaskColumnName = null, bool skipSpecialTokens = false) =>
        DecodeTokens(new DecodeTokensOptions
        {
            Tokenizer = tokenizer,
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            AttentionMaskColumnName = attentionMaskColumnName,
            SkipSpecialTokens = skipSpecialTokens,
        });

    /// <summary>Decodes token ids back to text, as <paramref name="options"/> say.</summary>
    public DecodeTokensEstimator DecodeTokens(DecodeTokensOptions options) => new(options);

    /// <summary>
    /// Learns a byte-level BPE vocabulary of <paramref name="vocabularySize"/> ids from the text column
    /// <paramref name="inputColumnName"/> when fitted, and then tokenizes that column with it into <paramref name="outputColumnName"/>.
    /// </summary>
    /// <param name="outputColumnName">The token ids column of the fitted transform.</param>
    /// <param name="inputColumnName">The text column to learn from and tokenize.</param>
    /// <param name="vocabularySize">The ids to reach: 256 bytes, the learned merges and <c>&lt;|endoftext|&gt;</c>.</param>
    /// <example><code>
    /// var model = ml.Transforms.Llm.TrainBpeTokenizer("Tokens", "Text", vocabularySize: 4000).Fit(corpus);
    /// LlmTokenizer learned = model.Tokenizer;
    /// </code></example>
    public TrainBpeTokenizerEstimator TrainBpeTokenizer(string outputColumnName, string inputColumnName, int vocabularySize = 8_000) =>
        TrainBpeTokenizer(new TrainBpeTokenizerOptions
        {
            OutputColumnName = outputColumnName,
            InputColumnName = inputColumnName,
            Training = new BpeTrainerOptions { VocabularySize = vocabularySize },
        });

    /// <summary>Learns a byte-level BPE vocabulary when fitted and tokenizes with it, as <paramref name="options"/> say.</summary>
    /// <exception cref="ArgumentException">An option is invalid (the message names it).</exception>
    public TrainBpeTokenizerEstimator TrainBpeTokenizer(TrainBpeTokenizerOptions options) => new(Environment, options);
}
