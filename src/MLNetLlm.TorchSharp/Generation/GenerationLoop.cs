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
    /// Yields, per step, the new token of every row, or null for a row that has stopped (the step that meets a stop
    /// token yields null for that row). Ends after <see cref="GenerationOptions.MaxNewTokens"/> steps or when every row
    /// has stopped. Prompts must already be validated: non-empty, within the context and the vocabulary.
    /// </summary>
    public static IEnumerable<int?[]> Run(GptModel model, IReadOnlyList<IReadOnlyList<int>> prompts, GenerationOptions options, IReadOnlySet<int> stopTokens)
    {
        int rows = prompts.Count, context = model.Config.ContextLength;
        var window = new TokenWindow(prompts);
        var stopped = new bool[rows];
        bool wasTraining = model.training;
        using var cache = options.UseKvCache ? model.CreateCache(rows) : null;
        using var sampler = new TokenSampler(options, model.Device);
        model.eval();
        try
        {
            for (int step = 0; step < options.MaxNewTokens && !stopped.All(s => s); step++)
            {
                if (window.Length > context)
                {
                    if (options.ContextOverflow == ContextOverflow.Error)
                        throw new InvalidOperationException($"Prompt and generated tokens ({window.Length}) exceed the context length {context}; set ContextOverflow = Slide or fewer MaxNewTokens.");
                    window.KeepLast(Math.Max(1, context - context / 4));
                    cache?.Reset();
                }
                var next = Step(model, window, cache, sampler);
                var emitted = new int?[rows];
                for (int row = 0; row < rows; row++)
                {
                    if (stopped[row]) continue;
                    if (stopTokens.Contains(next[row])) stopped[row] = true;
                    else emitted[row] = next[row];
                }
                window.Append(next);
                yield return emitted;
            }
        }
        finally
        {
            model.train(wasTraining);
        }
    }

    private static int[] Step(GptModel model, TokenWindow window, KvCache? cache, TokenSampler sampler)
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
