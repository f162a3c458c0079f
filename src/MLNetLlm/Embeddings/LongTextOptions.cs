using System.Text.Json.Serialization;

namespace MLNetLlm.Embeddings;

/// <summary>How a text longer than the model's window becomes one vector.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LongTextPooling>))]
public enum LongTextPooling
{
    /// <summary>The first window only: every token after it is dropped (what all embedders did before windows).</summary>
    FirstWindow,

    /// <summary>The plain mean of the window vectors.</summary>
    Mean,

    /// <summary>The mean of the window vectors weighted by each window's number of text tokens (framing tokens such as
    /// <c>[CLS]</c> and <c>[SEP]</c> not counted), so a short last window counts for what it holds.</summary>
    LengthWeightedMean,
}

/// <summary>
/// How an embedder reads a text longer than its model's window (its <c>MaxTokens</c>): the text's tokens are split
/// into overlapping windows of the model's length, every window is embedded, and the window vectors are pooled (then
/// scaled to length 1 again when the embedder normalises). A text that fits one window is embedded as it always was:
/// its vector is bit for bit the one <see cref="LongTextPooling.FirstWindow"/> gives.
/// </summary>
/// <remarks>
/// A WordPiece window is framed as the model expects, <c>[CLS] … [SEP]</c>, and the overlap counts text tokens only;
/// a GPT window is a plain run of tokens. Past <see cref="MaxWindows"/> windows the cost stays bounded: exactly
/// <see cref="MaxWindows"/> full windows are spread evenly from the first token to the last (the first starts the text,
/// the last ends it), so the vector still samples the whole text, with gaps between windows instead of overlaps.
/// </remarks>
public sealed record LongTextOptions
{
    /// <summary>The default: windows pooled by <see cref="LongTextPooling.LengthWeightedMean"/>, 32 tokens of overlap, at most 32 windows.</summary>
    public static LongTextOptions Default { get; } = new();

    /// <summary>The first window only (later tokens dropped): what EmbedText stages saved before windows existed still do.</summary>
    public static LongTextOptions FirstWindowOnly { get; } = new() { Pooling = LongTextPooling.FirstWindow };

    /// <summary>The most windows <see cref="MaxWindows"/> may be set to.</summary>
    public const int MaxWindowsLimit = 4096;

    /// <summary>How window vectors are pooled, or <see cref="LongTextPooling.FirstWindow"/>. Default <see cref="LongTextPooling.LengthWeightedMean"/>.</summary>
    public LongTextPooling Pooling { get; init; } = LongTextPooling.LengthWeightedMean;

    /// <summary>
    /// Text tokens each window shares with the next, so no sentence is only ever seen cut in two. At most half a
    /// window's text tokens are shared (a larger value is lowered to that). Default 32.
    /// </summary>
    public int Overlap { get; init; } = 32;

    /// <summary>
    /// The most windows one text is split into, which bounds the model calls and memory a huge text costs (see the
    /// remarks). Between 1 and <see cref="MaxWindowsLimit"/>. Default 32 (8,192 word pieces for all-MiniLM-L6-v2,
    /// about 6,000 English words).
    /// </summary>
    public int MaxWindows { get; init; } = 32;

    /// <summary>Throws when an option is out of range, naming it.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Pooling))
            throw new ArgumentOutOfRangeException(nameof(Pooling), Pooling, $"Unknown {nameof(LongTextPooling)}.");
        if (Overlap < 0)
            throw new ArgumentOutOfRangeException(nameof(Overlap), Overlap, $"{nameof(Overlap)} must be 0 or more tokens.");
        if (MaxWindows < 1 || MaxWindows > MaxWindowsLimit)
            throw new ArgumentOutOfRangeException(nameof(MaxWindows), MaxWindows, $"{nameof(MaxWindows)} must be between 1 and {MaxWindowsLimit}.");
    }
}
