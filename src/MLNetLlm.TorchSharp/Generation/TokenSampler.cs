using MLNetLlm.Generation;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Generation;

/// <summary>Picks the next token of every row from its logits, as <see cref="GenerationOptions"/> says.</summary>
internal sealed class TokenSampler : IDisposable
{
    private readonly GenerationOptions _options;
    private readonly Generator? _generator;

    public TokenSampler(GenerationOptions options, Device device)
    {
        _options = options;
        if (!options.Greedy) _generator = new Generator(options.Seed ?? (ulong)Random.Shared.NextInt64(), device);
    }

    /// <summary>The next token id per row, from logits (B, vocabulary).</summary>
    public long[] Next(Tensor logits)
    {
        using var scope = NewDisposeScope();
        logits = logits.to(ScalarType.Float32);                                  // (B, V)
        if (_options.Greedy) return logits.argmax(-1).cpu().data<long>().ToArray();

        logits = logits / _options.Temperature;
        if (_options.TopK is { } k && k < logits.shape[^1])
        {
            var kth = logits.topk(k).values[.., ^1..];                           // (B, 1)
            logits = logits.masked_fill(logits.lt(kth), double.NegativeInfinity);
        }
        var probs = logits.softmax(-1);                                        // (B, V)
        if (_options.TopP is { } p && p < 1)
        {
            var (sorted, order) = probs.sort(-1, descending: true);              // (B, V) each
            var before = sorted.cumsum(-1) - sorted;                             // probability mass of more likely tokens
            sorted = sorted.masked_fill(before.gt(p), 0.0);                      // the most likely token always stays
            probs = zeros_like(probs).scatter(-1, order, sorted);                // (B, V)
        }
        return probs.multinomial(1, generator: _generator).squeeze(1).cpu().data<long>().ToArray();
    }

    public void Dispose() => _generator?.Dispose();
}
