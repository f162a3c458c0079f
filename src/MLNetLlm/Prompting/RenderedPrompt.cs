namespace MLNetLlm.Prompting;

/// <summary>
/// A conversation or instruction example rendered by a <see cref="PromptTemplate"/>: the text, and its split into
/// prompt and response spans. The spans are in order, cover the whole text without gaps and never have length zero;
/// neighbours always differ in <see cref="PromptSpan.IsResponse"/>.
/// </summary>
public sealed class RenderedPrompt
{
    /// <summary>A rendered prompt, for templates written outside MLNetLlm; the spans are checked.</summary>
    /// <exception cref="ArgumentException">The spans leave a gap, overlap, run past the text, have length zero, or two
    /// neighbours are of the same kind (merge them).</exception>
    public RenderedPrompt(string text, IReadOnlyList<PromptSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(spans);
        int position = 0;
        for (int i = 0; i < spans.Count; i++)
        {
            var span = spans[i];
            if (span.Start != position)
                throw new ArgumentException($"Span {i} starts at {span.Start}; the spans must cover the text in order, so it should start at {position}.", nameof(spans));
            if (span.Length <= 0) throw new ArgumentException($"Span {i} has length {span.Length}; spans are never empty.", nameof(spans));
            if (i > 0 && spans[i - 1].IsResponse == span.IsResponse)
                throw new ArgumentException($"Spans {i - 1} and {i} are both {(span.IsResponse ? "response" : "prompt")}; merge them.", nameof(spans));
            position = span.End;
        }
        if (position != text.Length)
            throw new ArgumentException($"The spans cover {position} characters of a text of {text.Length}.", nameof(spans));
        Text = text;
        Spans = [.. spans];
    }

    /// <summary>The rendered text.</summary>
    public string Text { get; }

    /// <summary>The prompt and response spans of <see cref="Text"/>, in order.</summary>
    public IReadOnlyList<PromptSpan> Spans { get; }

    /// <summary>The response spans only.</summary>
    public IEnumerable<PromptSpan> ResponseSpans => Spans.Where(span => span.IsResponse);

    /// <summary>
    /// The characters before the first response span: for an instruction example, the generation prompt the model
    /// answers from; the whole text when there is no response.
    /// </summary>
    public int PromptLength => Spans.FirstOrDefault(span => span.IsResponse) is { IsResponse: true } first ? first.Start : Text.Length;

    /// <summary>Whether the character at <paramref name="index"/> belongs to a response.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the text.</exception>
    public bool IsResponseAt(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Text.Length);
        int low = 0, high = Spans.Count - 1;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (Spans[middle].Start <= index) low = middle;
            else high = middle - 1;
        }
        return Spans[low].IsResponse;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;
}
