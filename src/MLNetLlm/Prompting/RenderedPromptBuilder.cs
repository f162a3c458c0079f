using System.Text;

namespace MLNetLlm.Prompting;

/// <summary>Appends prompt and response text and records the spans; empty pieces add nothing, like kinds merge.</summary>
internal sealed class RenderedPromptBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<PromptSpan> _spans = [];

    public RenderedPromptBuilder Prompt(string text) => Append(text, isResponse: false);

    public RenderedPromptBuilder Response(string text) => Append(text, isResponse: true);

    public RenderedPrompt Build() => new(_text.ToString(), _spans);

    private RenderedPromptBuilder Append(string text, bool isResponse)
    {
        if (text.Length == 0) return this;
        if (_spans.Count > 0 && _spans[^1].IsResponse == isResponse)
            _spans[^1] = _spans[^1] with { Length = _spans[^1].Length + text.Length };
        else
            _spans.Add(new PromptSpan(_text.Length, text.Length, isResponse));
        _text.Append(text);
        return this;
    }
}
