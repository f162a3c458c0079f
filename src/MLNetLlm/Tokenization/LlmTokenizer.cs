namespace MLNetLlm.Tokenization;

/// <summary>
/// A tokenizer as MLNetLlm components use it: text to token ids, ids back to text, the size of the vocabulary
/// and the special tokens a model needs. Create one with <see cref="LlmTokenizers"/>.
/// </summary>
public abstract class LlmTokenizer
{
    /// <summary>A short name of the tokenizer's kind, such as <c>gpt2</c> or <c>wordpiece</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The number of token ids, special tokens included: every id is in <c>[0, VocabularySize)</c>.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>The special tokens by their text (for example <c>&lt;|endoftext|&gt;</c>), empty when there are none.</summary>
    public abstract IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>The id that separates documents and ends generation (<c>&lt;|endoftext|&gt;</c> for GPT-2), if any.</summary>
    public virtual int? EndOfTextId => null;

    /// <summary>The id used to pad sequences to a common length, if the tokenizer defines one.</summary>
    public virtual int? PaddingId => null;

    /// <summary>Encodes text to token ids. Null or empty text gives an empty list.</summary>
    public IReadOnlyList<int> EncodeToIds(string? text) => string.IsNullOrEmpty(text) ? [] : EncodeToIds(text.AsSpan());

    /// <summary>Encodes text to token ids. Empty text gives an empty list.</summary>
    public abstract IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text);

    /// <summary>
    /// Decodes token ids back to text. Ids that end inside a multi-byte character decode to U+FFFD for the
    /// incomplete part, so streaming callers decode the whole sequence and emit the stable prefix.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside <c>[0, VocabularySize)</c>.</exception>
    public abstract string Decode(IEnumerable<int> ids);

    /// <summary>
    /// Writes the tokenizer to <paramref name="directory"/>: a <c>tokenizer.json</c> naming its kind and options, and
    /// the vocabulary files it needs, so <see cref="LlmTokenizers.Load"/> restores it without the data it came from.
    /// </summary>
    public abstract void Save(string directory);
}
