using MLNetLlm.Generation;
using MLNetLlm.TorchSharp.Modeling;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Generation;

/// <summary>
/// The token-by-token loop behind <see cref="GptGenerator"/>. Prompts of different lengths are left-padded into one
/// batch (padding is masked out and real tokens get positions from 0). Each step runs in its own dispose scope and
/// <c>no_grad</c>, so nothing but the preallocated cache outlives a step and the loop may resume on another thread.
/// </summary>
internal static class GenerationLoop
{
    /// <summary>
    /// Runs <see cref="GenerationSteps"/> with the model: per step, the new token of every row, or null for a row that
    /// has stopped. Prompts must already be validated: non-empty, within the context and the vocabulary.
    /// </summary>
    /// <remarks><paramref name="contextLength"/> is the longest window the model reads (and the cache holds) before the
    /// oldest tokens are dropped.</remarks>
    /// <remarks>Only ids below <paramref name="decodableIds"/> are picked (null: all of the model's): checkpoints often pad
    /// their embedding matrix past the tokenizer's last id.</remarks>
    public static IEnumerable<int?[]> Run(ICausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens, int contextLength,
        int? decodableIds = null)
    {
        bool wasTraining = model.Module.training;
        using var cache = options.UseKvCache ? model.CreateCache(prompts.Count, contextLength) : null;
        using var sampler = new TokenSampler(options, model.Device);
        model.Module.eval();
        try
        {
            foreach (var step in GenerationSteps.Run(prompts, options, stopTokens, contextLength, "context length",
                         window => Step(model, window, cache, sampler, decodableIds), () => cache?.Reset()))
                yield return step;
        }
        finally
        {
            model.Module.train(wasTraining);
        }
    }

    private static int[] Step(ICausalLanguageModel model, TokenWindow window, KvCache? cache, TokenSampler sampler, int? decodableIds)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool incremental = cache is { Length: > 0 };
        using var precision = InferencePrecision.Use(model.Module, incremental ? DecoderPass.CachedStep : DecoderPass.Prefill);
        var (ids, isReal) = incremental
            ? (tensor(window.LastIds(), [window.Rows, 1], device: model.Device), null)                  // (B, 1): the rest is cached
            : (tensor(window.Ids(), [window.Rows, window.Length], device: model.Device),                 // (B, T)
               window.AllReal ? null : tensor(window.RealMask(), [window.Rows, window.Length], device: model.Device));
        var last = model.ForwardHiddenCore(ids, isReal, cache).select(1, -1); // (B, C): only the newest position needs logits
        var logits = model.Head(last);                                     // (B, vocabulary)
        if (decodableIds is { } n && n < logits.shape[^1]) logits = logits.narrow(-1, 0, n); // (B, decodable ids)
        return [.. sampler.Next(logits).Select(id => (int)id)];
    }
}
