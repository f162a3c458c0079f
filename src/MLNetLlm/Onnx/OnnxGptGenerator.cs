using System.Runtime.CompilerServices;
using MLNetLlm.Tokenization;

namespace MLNetLlm.Onnx;

/// <summary>
/// Generates text from a GPT exported with past keys and values (<see cref="LlmOnnxKind.GptWithPast"/>), with ONNX
/// Runtime alone: greedy or sampled (temperature, top-k, top-p, seed), with stop tokens, for one prompt or a batch of
/// prompts of different lengths, whole or streamed piece by piece. No libtorch is loaded.
/// </summary>
/// <remarks>
/// Greedy output is token for token what MLNetLlm.TorchSharp's <c>GptGenerator</c> gives on the model that was
/// exported. Bad input: a prompt longer than the exported context, or with ids outside the vocabulary, throws
/// <see cref="ArgumentException"/>; an empty id prompt throws, while an empty text prompt starts from the tokenizer's
/// end-of-text token (as the TorchSharp generator does) and throws when it has none. Calls may run concurrently.
/// </remarks>
/// <example><code>
/// using var generator = new OnnxGptGenerator("gpt-with-past.onnx");      // tokenizer from the model's metadata
/// string text = generator.Generate("The jury said", new OnnxGenerationOptions { Greedy = true, MaxNewTokens = 20 });
/// </code></example>
public sealed class OnnxGptGenerator : IDisposable
{
    private readonly LlmOnnxModel _model;
    private readonly bool _ownsModel;
    private readonly int _vocabulary;

    /// <summary>Opens an exported GPT with past keys and values (see <see cref="LlmOnnxModel.Open"/> for the parameters and errors).</summary>
    /// <exception cref="ArgumentException">The model is not a <see cref="LlmOnnxKind.GptWithPast"/> export, or the tokenizer does not match it.</exception>
    public OnnxGptGenerator(string modelPath, LlmTokenizer? tokenizer = null, int? intraOpThreads = null)
        : this(LlmOnnxModel.Open(modelPath, tokenizer, intraOpThreads), ownsModel: true)
    {
    }

    /// <summary>Generates with an opened model, which stays the caller's to dispose.</summary>
    /// <exception cref="ArgumentException">The model is not a <see cref="LlmOnnxKind.GptWithPast"/> export.</exception>
    public OnnxGptGenerator(LlmOnnxModel model) : this(model, ownsModel: false)
    {
    }

    private OnnxGptGenerator(LlmOnnxModel model, bool ownsModel)
    {
        ArgumentNullException.ThrowIfNull(model);
        try
        {
            model.RequireKind(LlmOnnxKind.GptWithPast, nameof(OnnxGptGenerator));
        }
        catch
        {
            if (ownsModel) model.Dispose();
            throw;
        }
        _model = model;
        _ownsModel = ownsModel;
        var declared = model.Session.OutputMetadata[LlmOnnxNames.Logits].Dimensions[^1];
        _vocabulary = declared > 0 ? declared : model.Metadata.VocabularySize;
    }

    /// <summary>The exported model.</summary>
    public LlmOnnxModel Model => _model;

    /// <summary>The tokenizer that encodes prompts and decodes the output.</summary>
    public LlmTokenizer Tokenizer => _model.Tokenizer;

    /// <summary>Generates a continuation of <paramref name="prompt"/> and returns only the new text.</summary>
    public string Generate(string prompt, OnnxGenerationOptions? options = null) => Generate([prompt], options)[0];

    /// <summary>Generates a continuation of every prompt in one batch; returns the new text per prompt, in order.</summary>
    public IReadOnlyList<string> Generate(IReadOnlyList<string> prompts, OnnxGenerationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        return [.. GenerateIds([.. prompts.Select(Encode)], options).Select(ids => Tokenizer.Decode(ids))];
    }

    /// <summary>Generates new token ids after <paramref name="prompt"/>.</summary>
    public int[] GenerateIds(IReadOnlyList<int> prompt, OnnxGenerationOptions? options = null) => GenerateIds([prompt], options)[0];

    /// <summary>
    /// Generates new token ids after every prompt, batched with left padding. Greedy decoding gives each row the tokens
    /// the same prompt gives alone; sampled rows share one random generator.
    /// </summary>
    /// <exception cref="ArgumentException">No prompts, an empty prompt, or one longer than the context.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An id (prompt or stop token) outside the vocabulary, or an invalid option.</exception>
    /// <exception cref="InvalidOperationException">The sequence outgrew the context with <see cref="OnnxContextOverflow.Error"/>.</exception>
    public IReadOnlyList<int[]> GenerateIds(IReadOnlyList<IReadOnlyList<int>> prompts, OnnxGenerationOptions? options = null)
    {
        options ??= new OnnxGenerationOptions();
        var stops = Prepare(prompts, options);
        var generated = prompts.Select(_ => new List<int>()).ToArray();
        foreach (var step in OnnxGenerationLoop.Run(_model, prompts, options, stops))
            for (int row = 0; row < step.Length; row++)
                if (step[row] is int id) generated[row].Add(id);
        return [.. generated.Select(ids => ids.ToArray())];
    }

    /// <summary>
    /// Streams the continuation of <paramref name="prompt"/> as text pieces while it is generated. A piece never ends
    /// inside a character, so the pieces concatenate to the text <see cref="Generate(string, OnnxGenerationOptions?)"/> returns.
    /// </summary>
    public async IAsyncEnumerable<string> StreamAsync(string prompt, OnnxGenerationOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        options ??= new OnnxGenerationOptions();
        IReadOnlyList<IReadOnlyList<int>> prompts = [Encode(prompt)];
        var stops = Prepare(prompts, options);
        var pieces = new StreamingTextPieces(Tokenizer);
        using var steps = OnnxGenerationLoop.Run(_model, prompts, options, stops).GetEnumerator();
        while (true)
        {
            await Task.Yield(); // each step is synchronous CPU work: give the caller's context a turn between tokens
            cancellationToken.ThrowIfCancellationRequested();
            if (!steps.MoveNext() || steps.Current[0] is not int id) break;
            var piece = pieces.Add(id);
            if (piece.Length > 0) yield return piece;
        }
        var rest = pieces.Flush();
        if (rest.Length > 0) yield return rest;
    }

    /// <summary>Releases the model when this generator opened it.</summary>
    public void Dispose()
    {
        if (_ownsModel) _model.Dispose();
    }

    private IReadOnlyList<int> Encode(string prompt)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        var ids = Tokenizer.EncodeToIds(prompt);
        if (ids.Count > 0) return ids;
        return Tokenizer.EndOfTextId is int start
            ? [start]
            : throw new ArgumentException($"The prompt is empty and the {Tokenizer.Name} tokenizer has no end-of-text token to start from.", nameof(prompt));
    }

    private HashSet<int> Prepare(IReadOnlyList<IReadOnlyList<int>> prompts, OnnxGenerationOptions options)
    {
        ArgumentNullException.ThrowIfNull(prompts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (prompts.Count == 0) throw new ArgumentException("Give at least one prompt.", nameof(prompts));
        int context = _model.Metadata.ContextLength;
        for (int row = 0; row < prompts.Count; row++)
        {
            var prompt = prompts[row] ?? throw new ArgumentNullException(nameof(prompts), $"Prompt {row} is null.");
            if (prompt.Count == 0)
                throw new ArgumentException($"Prompt {row} is empty; give at least one token (for example the end-of-text id).", nameof(prompts));
            if (prompt.Count > context)
                throw new ArgumentException($"Prompt {row} has {prompt.Count} tokens; the exported model's context length is {context}. Shorten it or keep its last {context} tokens.", nameof(prompts));
            for (int i = 0; i < prompt.Count; i++)
                if ((uint)prompt[i] >= (uint)_vocabulary)
                    throw new ArgumentOutOfRangeException(nameof(prompts), prompt[i], $"Prompt {row} has token id {prompt[i]} at position {i}, outside the vocabulary [0, {_vocabulary}).");
        }
        var stops = new HashSet<int>(options.StopTokens);
        if (options.StopAtEndOfText && Tokenizer.EndOfTextId is int endOfText) stops.Add(endOfText);
        foreach (var stop in stops)
            if ((uint)stop >= (uint)_vocabulary)
                throw new ArgumentOutOfRangeException(nameof(options), stop, $"Stop token {stop} is outside the vocabulary [0, {_vocabulary}).");
        return stops;
    }
}
