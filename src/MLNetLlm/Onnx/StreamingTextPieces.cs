using MLNetLlm.Tokenization;

namespace MLNetLlm.Onnx;

/// <summary>
/// Turns token ids arriving one at a time into text pieces that never split a character: a token that ends inside a
/// multi-byte UTF-8 character decodes to a trailing U+FFFD and is held until the character is complete, so the pieces
/// concatenate to <c>Decode(all ids)</c>. (MLNetLlm.TorchSharp's streaming generator follows the same rule.)
/// </summary>
internal sealed class StreamingTextPieces(LlmTokenizer tokenizer)
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
