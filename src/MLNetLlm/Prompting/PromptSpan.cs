namespace MLNetLlm.Prompting;

/// <summary>
/// A run of characters of a <see cref="RenderedPrompt"/>: prompt (what the model reads) or response (what it should
/// write, the part a fine-tuning loss keeps when the prompt is masked).
/// </summary>
/// <param name="Start">The first character of the span in <see cref="RenderedPrompt.Text"/>.</param>
/// <param name="Length">The number of characters, always positive.</param>
/// <param name="IsResponse">True for response text (an assistant's answer and its end-of-turn marker).</param>
public readonly record struct PromptSpan(int Start, int Length, bool IsResponse)
{
    /// <summary>The character after the span.</summary>
    public int End => Start + Length;
}
