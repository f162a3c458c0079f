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
    public static IEnumerable<int?[]> Run(ICausalLanguageModel model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens, int contextLength)
    {
        bool wasTraining = model.Module.training;
        using var cache = options.UseKvCache ? model.CreateCache(prompts.Count, contextLength) : null;
        using var sampler = new TokenSampler(options, model.Device);
        model.Module.eval();
        try
        {
            foreach (var step in GenerationSteps.Run(prompts, options, stopTokens, contextLength, "context length",
                         window => Step(model, window, cache, sampler), () => cache?.Reset()))
                yield return step;
        }
        finally
        {
            model.Module.train(wasTraining);
        }
    }

    private static int[] Step(ICausalLanguageModel model, TokenWindow window, KvCache? cache, TokenSampler sampler)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        bool incremental = cache is { Length: > 0 };
        var (ids, isReal) = incremental
            ? (tensor(window.LastIds(), [window.Rows, 1], device: model.Device), null)                  // (B, 1): the rest is cached
            : (tensor(window.Ids(), [window.Rows, window.Length], device: model.Device),                 // (B, T)
               window.AllReal ? null : tensor(window.RealMask(), [window.Rows, window.Length], device: model.Device));
        var last = model.ForwardHiddenCore(ids, isReal, cache).select(1, -1); // (B, C): only the newest position needs logits
        var logits = model.Head(last);                                     // (B, vocabulary)
        return [.. sampler.Next(logits).Select(id => (int)id)];
    }
}
