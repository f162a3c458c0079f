using MLNetLlm.Kit;
using MLNetLlm.Tokenization;
using Microsoft.ML.Runtime;

namespace MLNetLlm.Preparation;

/// <summary><see cref="NextTokenWindowOptions"/> with every default resolved and checked.</summary>
internal sealed record WindowSettings(
    int ContextLength,
    int Stride,
    long? SeparatorId,
    bool PadTail,
    long PaddingId,
    int? ShuffleSeed,
    int ShufflePoolSize,
    string InputIdsColumnName,
    string TargetIdsColumnName)
{
    /// <summary>The tokens one window spans: its inputs and the one token after them.</summary>
    public int WindowTokens => ContextLength + 1;

    /// <summary>
    /// Checks <paramref name="options"/> and resolves its defaults (the tokenizer's ids when there is one). Takes a
    /// seed from the environment only when the windows are shuffled.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A length, stride, pool size or id is out of range (the message names it).</exception>
    /// <exception cref="ArgumentException">An output column name is empty, or both are the same.</exception>
    public static WindowSettings Resolve(NextTokenWindowOptions options, LlmTokenizer? tokenizer, IHostEnvironment environment)
    {
        const string Name = nameof(options);
        if (options.ContextLength is < 1 or int.MaxValue)
            throw new ArgumentOutOfRangeException(Name, $"{nameof(options.ContextLength)} must be at least 1 and below {int.MaxValue}, not {options.ContextLength}.");
        int stride = options.Stride ?? options.ContextLength;
        if (stride < 1)
            throw new ArgumentOutOfRangeException(Name, $"{nameof(options.Stride)} must be at least 1, not {stride}.");
        if (options.ShufflePoolSize < 1)
            throw new ArgumentOutOfRangeException(Name, $"{nameof(options.ShufflePoolSize)} must be at least 1, not {options.ShufflePoolSize}.");
        if (string.IsNullOrWhiteSpace(options.InputIdsColumnName))
            throw new ArgumentException($"{nameof(options.InputIdsColumnName)} must not be empty.", Name);
        if (string.IsNullOrWhiteSpace(options.TargetIdsColumnName))
            throw new ArgumentException($"{nameof(options.TargetIdsColumnName)} must not be empty.", Name);
        if (options.InputIdsColumnName == options.TargetIdsColumnName)
            throw new ArgumentException($"{nameof(options.InputIdsColumnName)} and {nameof(options.TargetIdsColumnName)} are both '{options.InputIdsColumnName}'.", Name);

        long? separator = options.SeparateDocuments ? options.SeparatorId ?? tokenizer?.EndOfTextId : null;
        long padding = options.PaddingId ?? tokenizer?.PaddingId ?? tokenizer?.EndOfTextId ?? separator ?? 0;
        CheckId(nameof(options.SeparatorId), separator, tokenizer);
        CheckId(nameof(options.PaddingId), padding, tokenizer);

        int? seed = options.Shuffle ? environment.NextSeed("NextTokenWindows", options.Seed) : null;
        return new WindowSettings(options.ContextLength, stride, separator, options.Tail == NextTokenWindowTail.Pad, padding,
            seed, options.ShufflePoolSize, options.InputIdsColumnName, options.TargetIdsColumnName);
    }

    private static void CheckId(string name, long? id, LlmTokenizer? tokenizer)
    {
        if (id is not long value)
            return;
        if (value < 0)
            throw new ArgumentOutOfRangeException("options", $"{name} must not be negative, not {value}.");
        if (tokenizer is not null && value >= tokenizer.VocabularySize)
            throw new ArgumentOutOfRangeException("options",
                $"{name} {value} is not an id of the {tokenizer.Name} tokenizer, whose ids are below {tokenizer.VocabularySize}.");
    }
}
