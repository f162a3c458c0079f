using MLNetLlm.Prompting;
using MLNetLlm.Tokenization;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>
/// Renders instruction examples through a <see cref="PromptTemplate"/> and tokenizes them: the generation prompt
/// (exactly what the model will answer from) and the response are encoded apart and joined, then one end-of-text id is
/// appended, as the reference book's collate function does. Examples longer than the limit are cut or skipped and counted.
/// </summary>
internal sealed class InstructionEncoder
{
    private readonly PromptTemplate _template;
    private readonly LlmTokenizer _tokenizer;
    private readonly int _endOfText;
    private readonly int _maxLength;
    private readonly TooLongExamples _tooLong;

    /// <param name="template">How instruction and response become text.</param>
    /// <param name="tokenizer">The model's tokenizer; must have an end-of-text id.</param>
    /// <param name="maxLength">The most ids a model input may hold: an example has at most this + 1 ids (the last is
    /// only ever a target).</param>
    /// <param name="tooLong">What to do with longer examples.</param>
    /// <exception cref="ArgumentException">The tokenizer has no end-of-text id.</exception>
    public InstructionEncoder(PromptTemplate template, LlmTokenizer tokenizer, int maxLength, TooLongExamples tooLong)
    {
        _template = template;
        _tokenizer = tokenizer;
        _endOfText = tokenizer.EndOfTextId ?? throw new ArgumentException("Instruction tuning needs a tokenizer with an end-of-text id: it ends each response and pads the batches.", nameof(tokenizer));
        _maxLength = maxLength;
        _tooLong = tooLong;
    }

    /// <summary>The end-of-text id: the end of every response and the padding of the inputs.</summary>
    public int EndOfText => _endOfText;

    /// <summary>Examples cut from the prompt side so far.</summary>
    public int Truncated { get; private set; }

    /// <summary>Examples left out so far as too long.</summary>
    public int Skipped { get; private set; }

    /// <summary>The prompt ids the model answers <paramref name="instruction"/> from.</summary>
    public int[] PromptIds(string instruction, string? input) => [.. _tokenizer.EncodeToIds(_template.GenerationPrompt(instruction, input))];

    /// <summary>The example's ids, or null when it is skipped as too long.</summary>
    public InstructionExample? Encode(string instruction, string? input, string response)
    {
        var rendered = _template.RenderInstruction(instruction, input, response);
        int promptLength = rendered.PromptLength;
        var prompt = _tokenizer.EncodeToIds(rendered.Text[..promptLength]);
        var answer = _tokenizer.EncodeToIds(rendered.Text[promptLength..]);
        int total = prompt.Count + answer.Count + 1;
        int promptStart = 0;
        if (total > _maxLength + 1)
        {
            int excess = total - (_maxLength + 1);
            if (_tooLong == TooLongExamples.Skip || excess >= prompt.Count)
            {
                Skipped++;
                return null;
            }
            promptStart = excess;
            Truncated++;
        }
        var ids = new int[total - promptStart];
        int at = 0;
        for (int i = promptStart; i < prompt.Count; i++) ids[at++] = prompt[i];
        foreach (int id in answer) ids[at++] = id;
        ids[at] = _endOfText;
        return new InstructionExample(ids, prompt.Count - promptStart);
    }
}
