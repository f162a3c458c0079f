using System.Text;

namespace MLNetLlm.Chat;

/// <summary>
/// Cuts streamed text at the first stop sequence. Text that might be the start of a stop sequence is held back until
/// the next piece decides it, so nothing of a stop sequence is ever handed out and the pieces add up to the cut text.
/// </summary>
internal sealed class StopSequenceCutter(IReadOnlyList<string> stopSequences)
{
    private readonly StringBuilder _pending = new();

    /// <summary>A stop sequence was found; later pieces are ignored.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Adds a piece; returns the text now safe to hand out (possibly empty).</summary>
    public string Add(string piece)
    {
        if (Stopped) return "";
        _pending.Append(piece);
        string text = _pending.ToString();
        int cut = -1;
        foreach (var stop in stopSequences)
        {
            int at = text.IndexOf(stop, StringComparison.Ordinal);
            if (at >= 0 && (cut < 0 || at < cut)) cut = at;
        }
        if (cut >= 0)
        {
            Stopped = true;
            _pending.Clear();
            return text[..cut];
        }
        int held = HeldLength(text);
        _pending.Clear().Append(text, text.Length - held, held);
        return text[..^held];
    }

    /// <summary>The held-back rest at the end of the stream (empty after a stop).</summary>
    public string Flush()
    {
        string rest = Stopped ? "" : _pending.ToString();
        _pending.Clear();
        return rest;
    }

    /// <summary>The length of the longest end of <paramref name="text"/> that begins some stop sequence.</summary>
    private int HeldLength(string text)
    {
        int held = 0;
        foreach (var stop in stopSequences)
            for (int length = Math.Min(stop.Length - 1, text.Length); length > held; length--)
                if (text.AsSpan(text.Length - length).SequenceEqual(stop.AsSpan(0, length)))
                {
                    held = length;
                    break;
                }
        return held;
    }
}
