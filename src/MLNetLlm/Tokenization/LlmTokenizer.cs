namespace MLNetLlm.Tokenization;

/// <summary>
/// A tokenizer as MLNetLlm components use it: text to token ids, ids back to text, the size of the vocabulary
/// and the special tokens a model needs. Create one with <see cref="LlmTokenizers"/>.
/// </summary>
/// <remarks>
/// <para>Every tokenizer treats text the same way at the edges: null or empty text encodes to an empty list, and
/// invalid UTF-16 (a lone surrogate) is replaced by U+FFFD before encoding, so it encodes and decodes as the
/// replacement character rather than as bytes no UTF-8 decoder accepts.</para>
/// <para>Special tokens written literally in the text (for example <c>&lt;|endoftext|&gt;</c>) encode to their
/// special id. Decoding writes a special token back as its text, except the padding token, which decodes to
/// nothing when it is a token of its own (not the end-of-text token).</para>
/// <para>Tokenizers are immutable once created: encode and decode from several threads at once.</para>
/// </remarks>
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

    /// <summary>The id that stands for text outside the vocabulary, if the tokenizer has one (byte-level BPE never needs it).</summary>
    public virtual int? UnknownId => null;

    /// <summary>Encodes text to token ids. Null or empty text gives an empty list.</summary>
    public IReadOnlyList<int> EncodeToIds(string? text) => string.IsNullOrEmpty(text) ? [] : EncodeToIds(text.AsSpan());

    /// <summary>Encodes text to token ids. Empty text gives an empty list; lone surrogates encode as U+FFFD.</summary>
    public IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
            return [];
        return EncodeCore(Utf16Text.ReplaceLoneSurrogates(text));
    }

    /// <summary>
    /// Decodes token ids back to text. Ids that end inside a multi-byte character decode to U+FFFD for the
    /// incomplete part, so streaming callers decode the whole sequence and emit the stable prefix. Ids in range
    /// that stand for no token (the unused ids between cl100k's special tokens) decode to nothing.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside <c>[0, VocabularySize)</c>.</exception>
    public string Decode(IEnumerable<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        int size = VocabularySize;
        int? skipped = PaddingId is int pad && pad != EndOfTextId ? pad : null;
        var kept = new List<int>(ids is IReadOnlyCollection<int> c ? c.Count : 16);
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)size)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"Token id {id} is outside the {Name} vocabulary [0, {size}).");
            if (id != skipped)
                kept.Add(id);
        }
        return kept.Count == 0 ? string.Empty : DecodeCore(kept);
    }

    /// <summary>
    /// Writes the tokenizer to <paramref name="directory"/>: a <c>tokenizer.json</c> naming its kind and options, and
    /// the vocabulary files it needs, so <see cref="LlmTokenizers.Load"/> restores it without the data it came from.
    /// </summary>
    public abstract void Save(string directory);

    /// <summary>Encodes non-empty, valid UTF-16 text.</summary>
    private protected abstract IReadOnlyList<int> EncodeCore(ReadOnlySpan<char> text);

    /// <summary>Decodes a non-empty list of ids already checked to be in range, padding removed.</summary>
    private protected abstract string DecodeCore(IReadOnlyList<int> ids);
}
