using MLNetLlm.Tokenization;

namespace MLNetLlm.Embeddings;

/// <summary>
/// The special tokens a tokenizer puts around every text: a WordPiece tokenizer's <c>[CLS]</c> before and <c>[SEP]</c>
/// after; none for a GPT's byte-level BPE. Windows of a long text keep this frame, so each window reads as a text.
/// </summary>
/// <param name="Prefix">The ids before the text (<c>[CLS]</c>).</param>
/// <param name="Suffix">The ids after the text (<c>[SEP]</c>).</param>
public sealed record TokenFraming(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix)
{
    /// <summary>No framing: a text's ids are all text tokens.</summary>
    public static TokenFraming None { get; } = new([], []);

    /// <summary>
    /// The framing <paramref name="tokenizer"/> adds, read from how it encodes the empty text
    /// (<see cref="TokenBatch.FramedEmptyText"/>): all ids but the last before the text, the end id after it.
    /// </summary>
    public static TokenFraming Of(LlmTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        var framed = TokenBatch.FramedEmptyText(tokenizer);
        return framed.Count == 0 ? None : new([.. framed.Take(framed.Count - 1)], [framed[^1]]);
    }

    /// <summary>Whether the tokenizer puts any token around a text.</summary>
    public bool HasFrame => Prefix.Count + Suffix.Count > 0;

    /// <summary>Whether <paramref name="ids"/> start with <see cref="Prefix"/> and end with <see cref="Suffix"/>, around at least nothing.</summary>
    public bool Frames(IReadOnlyList<int> ids)
    {
        ArgumentNullException.ThrowIfNull(ids);
        if (ids.Count < Prefix.Count + Suffix.Count)
            return false;
        for (int i = 0; i < Prefix.Count; i++)
            if (ids[i] != Prefix[i])
                return false;
        for (int i = 0; i < Suffix.Count; i++)
            if (ids[ids.Count - Suffix.Count + i] != Suffix[i])
                return false;
        return true;
    }
}
