using System.Runtime.CompilerServices;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Generation;

/// <summary>
/// What every MLNetLlm text generator offers, whatever runs the model (TorchSharp's <c>GptGenerator</c>, ONNX Runtime's
/// <c>OnnxGptGenerator</c>): greedy or sampled generation (<see cref="GenerationOptions"/>) with stop tokens, for one
/// prompt or a batch of prompts of different lengths (left padded), whole or streamed piece by piece.
/// </summary>
/// <remarks>
/// Bad input: a prompt longer than the context, or with ids outside the vocabulary, throws <see cref="ArgumentException"/>;
/// an empty id prompt throws, while an empty text prompt starts from the tokenizer's end-of-text token (unconditional
/// generation) and throws when it has none.
/// </remarks>
public abstract class TextGenerator
{
    /// <summary>For derived generators.</summary>
    protected TextGenerator()
    {
    }

    /// <summary>The tokenizer that encodes prompts and decodes the output.</summary>
    public abstract LlmTokenizer Tokenizer { get; }

    /// <summary>Ids the model accepts: <c>[0, VocabularySize)</c>.</summary>
    protected abstract int VocabularySize { get; }

    /// <summary>The longest prompt the model reads.</summary>
    protected abstract int ContextLength { get; }

    /// <summary>The longest prompt the model reads, for the chat client's own check.</summary>
    internal int MaxPromptTokens => ContextLength;

    /// <summary>The generation loop: per step, the new id of each row, null for rows that have stopped.</summary>
    protected abstract IEnumerable<int?[]> Steps(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens);

    /// <summary>Generates a continuation of <paramref name="prompt"/> and returns only the new text.</summary>
    public string Generate(string prompt, GenerationOptions? options = null) => Generate([prompt], options)[0];

    /// <summary>Generates a continuation of every prompt in one batch; returns the new text per prompt, in order.</summary>
    public IReadOnlyList<string> Generate(IReadOnlyList<string> prompts, GenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return [.. GenerateIds([.. prompts.Select(Encode)], options).Select(ids => Tokenizer.Decode(ids))];
    }

    /// <summary>Generates new token ids after <paramref name="prompt"/>.</summary>
    public int[] GenerateIds(IReadOnlyList<int> prompt, GenerationOptions? options = null) => GenerateIds([prompt], options)[0];

    /// <summary>
    /// Generates new token ids after every prompt, batched with left padding. Each row's result is what the same
    /// prompt would give alone (greedy decoding gives the identical tokens; sampled rows share one generator).
    /// </summary>
    /// <exception cref="ArgumentException">No prompts, an empty prompt, or one longer than the context.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id (prompt or stop token) outside the vocabulary, or an invalid option.</exception>
    /// <exception cref="InvalidOperationException">The sequence outgrew the context with <see cref="ContextOverflow.Error"/>.</exception>
    public IReadOnlyList<int[]> GenerateIds(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions? options = null)
    {
        options ??= new GenerationOptions();
        var stops = Prepare(prompts, options);
        var generated = prompts.Select(_ => new List<int>()).ToArray();
        foreach (var step in Steps(prompts, options, stops))
            for (int row = 0; row < step.Length; row++)
                if (step[row] is int id) generated[row].Add(id);
        return [.. generated.Select(ids => ids.ToArray())];
    }

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> as text pieces while it is generated. A piece never ends
    /// inside a character: tokens that stop mid-way through a multi-byte character are held until it is complete, so
    /// the pieces concatenate to the same text <see cref="Generate(string, GenerationOptions?)"/> returns.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(string prompt, GenerationOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var step in StreamStepsAsync(prompt, options, cancellationToken))
            if (step.Piece.Length > 0) yield return step.Piece;
    }

    /// <summary>
    /// <see cref="StreamAsync"/> step by step: one entry per generated token (its text piece, possibly empty while a
    /// character is incomplete), then one last entry with the held-back rest and <c>Tokens</c> 0.
    /// </summary>
    internal async IAsyncEnumerable<(string Piece, int Tokens)> StreamStepsAsync(string prompt, GenerationOptions? options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        options ??= new GenerationOptions();
        IReadOnlyList<IReadOnlyList<int>> prompts = [Encode(prompt)];
        var stops = Prepare(prompts, options);
        var decoder = new StreamingTextDecoder(Tokenizer);
        using var steps = Steps(prompts, options, stops).GetEnumerator();
        while (true)
        {
            await Task.Yield(); // each step is synchronous CPU work: hand the caller's context a turn between tokens
            cancellationToken.ThrowIfCancellationRequested();
            if (!steps.MoveNext() || steps.Current[0] is not int id) break;
            yield return (decoder.Add(id), 1);
        }
        yield return (decoder.Flush(), 0);
    }

    /// <summary>
    /// The ids generation starts from for a text prompt: its tokens; for an empty prompt, the tokenizer's document start
    /// (<see cref="LlmTokenizer.DocumentStartId"/>: end-of-text, or <c>&lt;s&gt;</c> for SentencePiece) alone
    /// (unconditional generation), or no ids when the tokenizer has none.
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="prompt"/> is null.</exception>
    public IReadOnlyList<int> PromptIds(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = Tokenizer.EncodeToIds(prompt);
        return ids.Count > 0 || Tokenizer.DocumentStartId is not int start ? ids : [start];
    }

    private IReadOnlyList<int> Encode(string prompt)
    {
        var ids = PromptIds(prompt);
        return ids.Count > 0
            ? ids
            : throw new ArgumentException($"The prompt is empty and the {Tokenizer.Name} tokenizer has no end-of-text token to start from.", nameof(prompt));
    }

    private HashSet<int> Prepare(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (prompts.Count == 0) throw new ArgumentException("Give at least one prompt.", nameof(prompts));
        int vocabulary = VocabularySize, context = ContextLength;
        for (int row = 0; row < prompts.Count; row++)
        {
            var prompt = prompts[row] ?? throw new ArgumentNullException(nameof(prompts), $"Prompt {row} is null.");
            if (prompt.Count == 0)
                throw new ArgumentException($"Prompt {row} is empty; give at least one token (for example the end-of-text id).", nameof(prompts));
            if (prompt.Count > context)
                throw new ArgumentException($"Prompt {row} has {prompt.Count} tokens; the model's context length is {context}. Shorten it or keep its last {context} tokens.", nameof(prompts));
            for (int i = 0; i < prompt.Count; i++)
                if ((uint)prompt[i] >= (uint)vocabulary)
                    throw new ArgumentOutOfRangeException(nameof(prompts), prompt[i], $"Prompt {row} has token id {prompt[i]} at position {i}, outside the vocabulary [0, {vocabulary}).");
        }
        var stops = new HashSet<int>(options.StopTokens);
        if (options.StopAtEndOfText && Tokenizer.EndOfTextId is int endOfText) stops.Add(endOfText);
        foreach (var stop in stops)
            if ((uint)stop >= (uint)vocabulary)
                throw new ArgumentOutOfRangeException(nameof(options), stop, $"Stop token {stop} is outside the vocabulary [0, {vocabulary}).");
        return stops;
    }
}
