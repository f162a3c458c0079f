using System.Runtime.InteropServices;
using MLNetLlm.Kit;

namespace MLNetLlm.Tokenization;

/// <summary>
/// <see cref="TokenizeOptions"/> checked against the tokenizer and resolved to ids, as the transform runs them and
/// as they are saved: a reloaded model does not depend on how defaults were looked up.
/// </summary>
internal sealed record TokenizeSettings
{
    private static readonly string[] BeginningNames = ["<|begin_of_text|>", "<s>", "[CLS]", "<bos>", "<|startoftext|>"];
    private static readonly string[] EndNames = ["<|end_of_text|>", "</s>", "[SEP]", "<eos>"];

    public required string InputColumnName { get; init; }
    public required string OutputColumnName { get; init; }
    public int? BeginningOfSequenceId { get; init; }
    public int? EndOfSequenceId { get; init; }
    /// <summary>The most ids a row keeps (specials included), null for no limit.</summary>
    public int? MaxLength { get; init; }
    public int? PadToLength { get; init; }

    /// <summary>The most of the tokenizer's own ids a row keeps: <see cref="MaxLength"/> less the added BOS/EOS.</summary>
    public int? TextTokenLimit => MaxLength - (BeginningOfSequenceId is null ? 0 : 1) - (EndOfSequenceId is null ? 0 : 1);

    public int PaddingId { get; init; }
    /// <summary>The id a text with no token is read as; null (and in settings saved before it existed): no token.</summary>
    public int? EmptyTextId { get; init; }
    public string? AttentionMaskColumnName { get; init; }
    public string? TokenStringsColumnName { get; init; }

    /// <summary>Checks <paramref name="options"/> (names, lengths, ids in the vocabulary) and resolves the default ids.</summary>
    public static TokenizeSettings From(TokenizeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tokenizer = options.Tokenizer ?? throw new ArgumentNullException(nameof(options), "TokenizeOptions.Tokenizer is required.");
        CheckLayout(options);

        return new TokenizeSettings
        {
            InputColumnName = options.InputColumnName,
            OutputColumnName = options.OutputColumnName,
            BeginningOfSequenceId = options.AddBeginningOfSequence
                ? CheckId(tokenizer, options.BeginningOfSequenceId ?? Find(tokenizer, BeginningNames), nameof(options.BeginningOfSequenceId))
                : null,
            EndOfSequenceId = options.AddEndOfSequence
                ? CheckId(tokenizer, options.EndOfSequenceId ?? Find(tokenizer, EndNames), nameof(options.EndOfSequenceId))
                : null,
            MaxLength = options.MaxLength ?? options.PadToLength,
            PadToLength = options.PadToLength,
            PaddingId = CheckId(tokenizer, options.PaddingId ?? tokenizer.PaddingId ?? tokenizer.EndOfTextId ?? 0, nameof(options.PaddingId)),
            EmptyTextId = options.EmptyTextId is int empty ? CheckId(tokenizer, empty, nameof(options.EmptyTextId)) : null,
            AttentionMaskColumnName = options.PadToLength is null ? null : options.AttentionMaskColumnName,
            TokenStringsColumnName = options.TokenStringsColumnName,
        };
    }

    /// <summary>Checks what does not depend on the tokenizer: column names and lengths (the tokenizer is not read).</summary>
    public static void CheckLayout(TokenizeOptions options)
    {
        ColumnChecks.RequireName(options.InputColumnName, nameof(options.InputColumnName));
        ColumnChecks.RequireName(options.OutputColumnName, nameof(options.OutputColumnName));
        int specials = (options.AddBeginningOfSequence ? 1 : 0) + (options.AddEndOfSequence ? 1 : 0);
        if (options.PadToLength is < 1)
            throw new ArgumentOutOfRangeException(nameof(options.PadToLength), options.PadToLength, "PadToLength must be at least 1.");
        if (options.MaxLength is { } max && (max < 1 || max < specials))
            throw new ArgumentOutOfRangeException(nameof(options.MaxLength), max, $"MaxLength must be at least 1 and hold the {specials} added BOS/EOS id(s).");
        if (options.MaxLength > options.PadToLength)
            throw new ArgumentOutOfRangeException(nameof(options.MaxLength), options.MaxLength, $"MaxLength cannot exceed PadToLength ({options.PadToLength}).");
        if (options.PadToLength is { } pad && pad < specials)
            throw new ArgumentOutOfRangeException(nameof(options.PadToLength), pad, $"PadToLength must hold the {specials} added BOS/EOS id(s).");

        string? mask = null;
        if (options.PadToLength is not null)
        {
            ColumnChecks.RequireName(options.AttentionMaskColumnName, nameof(options.AttentionMaskColumnName));
            mask = options.AttentionMaskColumnName;
        }
        if (options.TokenStringsColumnName is not null)
            ColumnChecks.RequireName(options.TokenStringsColumnName, nameof(options.TokenStringsColumnName));
        var outputs = new[] { options.OutputColumnName, mask, options.TokenStringsColumnName }.OfType<string>().ToArray();
        if (outputs.Distinct().Count() != outputs.Length)
            throw new ArgumentException($"The output columns must have different names: {string.Join(", ", outputs)}.", nameof(options));
    }

    /// <summary>Whether a tokenizer with these special tokens has a default BOS (<paramref name="beginning"/>) or EOS id.</summary>
    public static bool HasDefaultSpecial(IEnumerable<string> specialTokens, string? endOfText, bool beginning) =>
        endOfText is not null || specialTokens.Intersect(beginning ? BeginningNames : EndNames).Any();

    /// <summary>
    /// Writes the row's ids (BOS, the text's ids truncated to fit, EOS) into <paramref name="buffer"/>, growing it
    /// when needed, and returns how many were written. Padding is the caller's business.
    /// </summary>
    public int Arrange(IReadOnlyList<int> textIds, ref long[] buffer)
    {
        int specials = (BeginningOfSequenceId is null ? 0 : 1) + (EndOfSequenceId is null ? 0 : 1);
        int kept = MaxLength is { } max ? Math.Min(textIds.Count, max - specials) : textIds.Count;
        int count = kept + specials;
        if (buffer.Length < count)
            buffer = new long[Math.Max(count, buffer.Length * 2)];
        int at = 0;
        if (BeginningOfSequenceId is { } bos)
            buffer[at++] = bos;
        if (textIds is List<int> list) // what Microsoft.ML.Tokenizers returns: copy from its span, no interface calls
        {
            foreach (int id in CollectionsMarshal.AsSpan(list)[..kept])
                buffer[at++] = id;
        }
        else
        {
            for (int i = 0; i < kept; i++)
                buffer[at++] = textIds[i];
        }
        if (EndOfSequenceId is { } eos)
            buffer[at++] = eos;
        return count;
    }

    private static int? Find(LlmTokenizer tokenizer, string[] names)
    {
        foreach (var name in names)
            if (tokenizer.SpecialTokens.TryGetValue(name, out int id))
                return id;
        return tokenizer.EndOfTextId;
    }

    private static int CheckId(LlmTokenizer tokenizer, int? id, string option)
    {
        if (id is not { } value)
            throw new ArgumentException($"The {tokenizer.Name} tokenizer has no such special token: set {option}.", option);
        if ((uint)value >= (uint)tokenizer.VocabularySize)
            throw new ArgumentOutOfRangeException(option, value, $"{option} must be a token id of the {tokenizer.Name} vocabulary [0, {tokenizer.VocabularySize}).");
        return value;
    }
}
