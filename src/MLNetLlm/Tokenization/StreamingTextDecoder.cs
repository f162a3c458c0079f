namespace MLNetLlm.Tokenization;

/// <summary>
/// Turns token ids arriving one at a time into text pieces that never split a character. A byte-level token may end
/// inside a multi-byte UTF-8 character, which decodes to a trailing U+FFFD; such tokens are held back until the text
/// they start is complete. Every emitted piece ends on a character boundary, so the pieces concatenate to exactly
/// <c>Decode(all ids)</c>.
/// </summary>
/// <remarks>
/// Each piece is what decoding all ids so far adds to the text already emitted: a SentencePiece or WordPiece token
/// decodes differently alone (<c>▁the</c> loses its space at the start of a text, <c>##s</c> its joining) than after
/// the others. Decoding the whole sequence per token costs a few microseconds a token for the few hundred tokens of an
/// answer, little beside the model's step.
/// </remarks>
internal sealed class StreamingTextDecoder(LlmTokenizer tokenizer)
{
    private readonly List<int> _ids = [];
    private int _emittedLength;

    /// <summary>The text that <paramref name="id"/> completes, possibly empty.</summary>
    public string Add(int id)
    {
        _ids.Add(id);
        var text = tokenizer.Decode(_ids);
        return text.EndsWith('\uFFFD') ? "" : Emit(text);
    }

    /// <summary>Whatever is held back, decoded as it is (an unfinished character stays U+FFFD).</summary>
    public string Flush() => Emit(tokenizer.Decode(_ids));

    // The part of the whole text not emitted yet (decoding is prefix-stable on character boundaries).
    private string Emit(string text)
    {
        var piece = text.Length > _emittedLength ? text[_emittedLength..] : "";
        _emittedLength = Math.Max(_emittedLength, text.Length);
        return piece;
    }
}
