using MLNetLlm.Generation;
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
/// string text = generator.Generate("The jury said", new GenerationOptions { Greedy = true, MaxNewTokens = 20 });
/// </code></example>
public sealed class OnnxGptGenerator : TextGenerator, IDisposable
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

    /// <inheritdoc/>
    public override LlmTokenizer Tokenizer => _model.Tokenizer;

    /// <inheritdoc/>
    protected override int VocabularySize => _vocabulary;

    /// <inheritdoc/>
    protected override int ContextLength => _model.Metadata.ContextLength;

    /// <inheritdoc/>
    protected override IEnumerable<int?[]> Steps(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens) =>
        OnnxGenerationLoop.Run(_model, prompts, options, stopTokens);

    /// <summary>Releases the model when this generator opened it.</summary>
    public void Dispose()
    {
        if (_ownsModel) _model.Dispose();
    }
}
