using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Generation;

/// <summary>
/// Generates text with a <see cref="GptModel"/>: greedy or sampled (temperature, top-k, top-p, seed), with stop tokens,
/// for one prompt or a batch of prompts of different lengths, whole or streamed piece by piece.
/// </summary>
/// <remarks>
/// Bad input: a prompt longer than the context, or with ids outside the vocabulary, throws
/// <see cref="ArgumentException"/>; an empty id prompt throws, while an empty text prompt starts from the tokenizer's
/// end-of-text token (unconditional generation). The model is switched to eval mode while generating and restored after.
/// </remarks>
public sealed class GptGenerator : TextGenerator
{
    private readonly GptModel _model;
    private readonly LlmTokenizer _tokenizer;

    /// <summary>Pairs a model with the tokenizer whose ids it was trained on.</summary>
    /// <exception cref="ArgumentException">The tokenizer has more ids than the model's vocabulary.</exception>
    public GptGenerator(GptModel model, LlmTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.VocabularySize > model.Config.VocabularySize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabularySize} ids but the model's vocabulary has only {model.Config.VocabularySize}.", nameof(tokenizer));
        _model = model;
        _tokenizer = tokenizer;
    }

    /// <inheritdoc/>
    public override LlmTokenizer Tokenizer => _tokenizer;

    /// <inheritdoc/>
    protected override int VocabularySize => _model.Config.VocabularySize;

    /// <inheritdoc/>
    protected override int ContextLength => _model.Config.ContextLength;

    /// <inheritdoc/>
    protected override IEnumerable<int?[]> Steps(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens) =>
        GenerationLoop.Run(_model, prompts, options, stopTokens, _model.Config.ContextLength, _tokenizer.VocabularySize);
}
