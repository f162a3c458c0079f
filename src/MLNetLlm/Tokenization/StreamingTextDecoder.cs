namespace MLNetLlm.Tokenization;

/// <summary>
/// Turns token ids arriving one at a time into text pieces that never split a character. A byte-level token may end
/// inside a multi-byte UTF-8 character, which decodes to a trailing U+FFFD; such tokens are held back until the text
/// they start is complete. Every emitted piece ends on a character boundary, so the pieces concatenate to exactly
/// <c>Decode(all ids)</c>.
/// </summary>
internal sealed class StreamingTextDecoder(LlmTokenizer tokenizer)
{
    private readonly List<int> _pending = [];

    /// <summary>The text that <paramref name="id"/> completes, possibly empty.</summary>
    public string Add(int id)
    {
        _pending.Add(id);
        var text = tokenizer.Decode(_pending);
        if (text.EndsWith('\uFFFD')) return "";
        _pending.Clear();
        return text;
    }

    /// <summary>Whatever is held back, decoded as it is (an unfinished character stays U+FFFD).</summary>
    public string Flush()
    {
        var text = _pending.Count == 0 ? "" : tokenizer.Decode(_pending);
        _pending.Clear();
        return text;
    }
}
