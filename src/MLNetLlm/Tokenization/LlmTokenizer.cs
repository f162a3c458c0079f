namespace MLNetLlm.Tokenization;

/// <summary>
/// A tokenizer as MLNetLlm components use it: text to token ids, ids back to text, the size of the vocabulary
/// and the special tokens a model needs. Create one with <see cref="LlmTokenizers"/>.
/// </summary>
/// <remarks>
/// <para>The tokenizers of <see cref="LlmTokenizers"/> treat text the same way at the edges (other implementations should too): null or empty text encodes to an empty list, and
/// invalid UTF-16 (a lone surrogate) is replaced by U+FFFD before encoding, so it encodes and decodes as the
/// replacement character rather than as bytes no UTF-8 decoder accepts.</para>
/// <para>Special tokens written literally in the text (for example <c>&lt;|endoftext|&gt;</c>) encode to their
/// special id. Decoding writes a special token back as its text, except the padding token, which decodes to
/// nothing when it is a token of its own (not the end-of-text token).</para>
/// <para>Tokenizers are immutable once created: encode and decode from several threads at once.</para>
/// </remarks>
public abstract class LlmTokenizer
{
    // The texts of the end id, found once: a hot path (Tokenize with maxLength) asks for every row.
    private readonly Lazy<string[]> _endOfTextTokens;

    /// <summary>For derived tokenizers.</summary>
    protected LlmTokenizer() =>
        _endOfTextTokens = new(() => EndOfTextId is int end ? [.. SpecialTokens.Where(s => s.Value == end).Select(s => s.Key)] : []);

    /// <summary>A short name of the tokenizer's kind, such as <c>gpt2</c> or <c>wordpiece</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The number of token ids, special tokens included: every id is in <c>[0, VocabularySize)</c>.</summary>
    public abstract int VocabularySize { get; }

    /// <summary>The special tokens by their text (for example <c>&lt;|endoftext|&gt;</c>), empty when there are none.</summary>
    public abstract IReadOnlyDictionary<string, int> SpecialTokens { get; }

    /// <summary>The id that separates documents and ends generation (<c>&lt;|endoftext|&gt;</c> for GPT-2), if any.</summary>
    public virtual int? EndOfTextId => null;

    /// <summary>
    /// The id a document is read after, so that its first token is predicted too: the end-of-text id by default (GPT-2
    /// separates documents with <c>&lt;|endoftext|&gt;</c>), the beginning-of-sentence <c>&lt;s&gt;</c> for SentencePiece
    /// (Llama 2 reads every text after it). Perplexity scoring and unconditional generation start from it.
    /// </summary>
    public virtual int? DocumentStartId => EndOfTextId;

    /// <summary>The id used to pad sequences to a common length, if the tokenizer defines one.</summary>
    public virtual int? PaddingId => null;

    /// <summary>The id that stands for text outside the vocabulary, if the tokenizer has one (byte-level BPE never needs it).</summary>
    public virtual int? UnknownId => null;

    /// <summary>Encodes text to token ids. Null or empty text gives an empty list.</summary>
    public IReadOnlyList<int> EncodeToIds(string? text) => string.IsNullOrEmpty(text) ? [] : EncodeToIds(text.AsSpan());

    /// <summary>Encodes text to token ids. Empty text gives an empty list; lone surrogates encode as U+FFFD.</summary>
    public abstract IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text);

    /// <summary>
    /// Encodes text to at most <paramref name="maxTokenCount"/> ids, cut as Hugging Face truncates: the first ids of
    /// <see cref="EncodeToIds(ReadOnlySpan{char})"/>, and when that encoding ends with the end id (a WordPiece
    /// tokenizer's framing <c>[SEP]</c>) the end id stays last. The tokenizers of <see cref="LlmTokenizers"/> stop
    /// encoding once they have enough ids, so cutting a long document costs what its first tokens cost.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokenCount"/> is negative.</exception>
    public IReadOnlyList<int> EncodeToIds(ReadOnlySpan<char> text, int maxTokenCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokenCount);
        if (text.IsEmpty || maxTokenCount == 0)
            return [];
        var ids = MentionsEndOfText(text)
            ? EncodeToIds(text)
            : Encode(text, valid => EncodeLeading(valid, maxTokenCount + 1) ?? EncodeToIds(valid));
        return Truncate(ids, maxTokenCount, EndOfTextId);
    }

    /// <summary>
    /// At least the first <paramref name="count"/> ids of the text's encoding (all of them when it has fewer), followed
    /// by the end id when the tokenizer frames every text with it; for text already cleaned of lone surrogates. Null
    /// when the tokenizer cannot stop early.
    /// </summary>
    private protected virtual IReadOnlyList<int>? EncodeLeading(ReadOnlySpan<char> text, int count) => null;

    /// <summary>How many more ids than asked an early-stopping encoder requests, so that a cut at a word boundary still leaves enough.</summary>
    private protected const int LeadingSlack = 64;

    /// <summary>
    /// Cuts <paramref name="ids"/> to <paramref name="maxTokens"/>, keeping <paramref name="endId"/> last when the
    /// ids end with it (a framing <c>[SEP]</c> survives the cut, as in Hugging Face).
    /// </summary>
    public static IReadOnlyList<int> Truncate(IReadOnlyList<int> ids, int maxTokens, int? endId)
    {
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentOutOfRangeException.ThrowIfNegative(maxTokens);
        if (ids.Count <= maxTokens)
            return ids;
        var kept = new int[maxTokens];
        for (int t = 0; t < maxTokens; t++)
            kept[t] = ids[t];
        if (maxTokens > 0 && endId is int end && ids[^1] == end)
            kept[^1] = end;
        return kept;
    }

    // Only the whole encoding knows whether it ends with the end id when the text writes that token literally; without
    // it, an encoding ends with the end id only where the tokenizer frames every text with it.
    private bool MentionsEndOfText(ReadOnlySpan<char> text)
    {
        foreach (var token in _endOfTextTokens.Value)
            if (text.Contains(token, StringComparison.Ordinal))
                return true;
        return false;
    }

    /// <summary>
    /// Decodes token ids back to text. Ids that end inside a multi-byte character decode to U+FFFD for the
    /// incomplete part, so streaming callers decode the whole sequence and emit the stable prefix. Ids in range
    /// that stand for no token (the unused ids between cl100k's special tokens) decode to nothing.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="ids"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id is outside <c>[0, VocabularySize)</c>.</exception>
    public abstract string Decode(IEnumerable<int> ids);

    /// <summary>
    /// Writes the tokenizer to <paramref name="directory"/>: a <c>tokenizer.json</c> naming its kind and options, and
    /// the vocabulary files it needs, so <see cref="LlmTokenizers.Load"/> restores it without the data it came from.
    /// </summary>
    public abstract void Save(string directory);

    /// <summary>The encoding every MLNetLlm tokenizer shares: empty text gives no ids, lone surrogates become U+FFFD, then <paramref name="encode"/>.</summary>
    private protected static IReadOnlyList<int> Encode(ReadOnlySpan<char> text, Func<ReadOnlySpan<char>, IReadOnlyList<int>> encode) =>
        text.IsEmpty ? [] : encode(Utf16Text.ReplaceLoneSurrogates(text));

    /// <summary>The decoding every MLNetLlm tokenizer shares: ids checked to be in range, padding removed, then <paramref name="decode"/> unless none are left.</summary>
    private protected string Decode(IEnumerable<int> ids, Func<IReadOnlyList<int>, string> decode)
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
        return kept.Count == 0 ? string.Empty : decode(kept);
    }
}
