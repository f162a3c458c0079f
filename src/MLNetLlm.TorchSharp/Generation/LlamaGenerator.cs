using MLNetLlm.Generation;
using MLNetLlm.Tokenization;
using MLNetLlm.TorchSharp.Modeling;

namespace MLNetLlm.TorchSharp.Generation;

/// <summary>
/// Generates text with a <see cref="LlamaModel"/> through the same loop as <see cref="GptGenerator"/>: greedy or
/// sampled, stop tokens, batches of prompts of different lengths (left-padded), streaming, and a key/value cache.
/// </summary>
/// <remarks>
/// Llama-family models announce long contexts (131,072 tokens for Llama 3.2), and the cache is allocated whole for the
/// window, so the generator reads at most <see cref="Window"/> tokens: <see cref="DefaultWindow"/> unless asked otherwise.
/// A longer generation drops the oldest tokens, as the GPT's does at its context length. Only ids the tokenizer knows are
/// generated: Qwen and others pad the embedding matrix past the tokenizer's last id.
/// </remarks>
public sealed class LlamaGenerator : TextGenerator
{
    /// <summary>The default window: 4,096 tokens, or the model's context length when shorter.</summary>
    public const int DefaultWindow = 4096;

    private readonly LlamaModel _model;
    private readonly LlmTokenizer _tokenizer;

    /// <summary>Pairs a model with the tokenizer whose ids it was trained on.</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="window">The most tokens the model reads at once (prompt and generated); null for
    /// <see cref="DefaultWindow"/>; never more than the model's context length.</param>
    /// <exception cref="ArgumentException">The tokenizer has more ids than the model's vocabulary.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="window"/> is below 2.</exception>
    public LlamaGenerator(LlamaModel model, LlmTokenizer tokenizer, int? window = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (tokenizer.VocabularySize > model.Config.VocabularySize)
            throw new ArgumentException($"The tokenizer has {tokenizer.VocabularySize} ids but the model's vocabulary has only {model.Config.VocabularySize}.", nameof(tokenizer));
        if (window is < 2) throw new ArgumentOutOfRangeException(nameof(window), window, "The window must hold at least 2 tokens.");
        _model = model;
        _tokenizer = tokenizer;
        Window = Math.Min(window ?? DefaultWindow, model.Config.ContextLength);
    }

    /// <summary>The most tokens the model reads at once.</summary>
    public int Window { get; }

    /// <inheritdoc/>
    public override LlmTokenizer Tokenizer => _tokenizer;

    /// <inheritdoc/>
    protected override int VocabularySize => _model.Config.VocabularySize;

    /// <inheritdoc/>
    protected override int ContextLength => Window;

    /// <inheritdoc/>
    protected override IEnumerable<int?[]> Steps(IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens) =>
        GenerationLoop.Run(_model, prompts, options, stopTokens, Window, _tokenizer.VocabularySize);
}
