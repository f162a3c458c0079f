using MLNetLlm.Generation;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Modeling;

/// <summary>
/// The keys and values every attention layer computed for the tokens seen so far, so that generating one more token
/// costs one token's forward pass instead of the whole sequence's. Buffers of the full context length are allocated
/// once (per layer, (B, nh, ContextLength, hs)), so a long generation allocates nothing new.
/// </summary>
/// <remarks>
/// The cache never slides by itself: with learned positional embeddings, cached keys are tied to their positions.
/// A forward pass that would take it past <see cref="Capacity"/> throws <see cref="InvalidOperationException"/>;
/// the generator then drops the oldest tokens and rebuilds the cache (see <c>ContextOverflow.Slide</c>).
/// It is meant for inference under <c>torch.no_grad()</c>. If a forward pass throws, call <see cref="Reset"/>.
/// </remarks>
public sealed class KvCache : IDisposable
{
    private readonly Tensor[] _keys;
    private readonly Tensor[] _values;
    private readonly Tensor _realTokens;  // (B, ctx) true where the position holds a real token, false for left padding
    private readonly Tensor _realCounts;  // (B) real tokens seen per row (the next real token's position), kept once padding is seen

    internal KvCache(GptConfig config, int batchSize, Device device, ScalarType dtype)
        : this(config.Layers, config.Heads, config.HeadSize, config.ContextLength, batchSize, device, dtype)
    {
    }

    /// <summary>A cache of <paramref name="capacity"/> tokens for <paramref name="heads"/> key/value heads per layer
    /// (fewer than the query heads under grouped-query attention).</summary>
    internal KvCache(int layers, int heads, int headSize, int capacity, int batchSize, Device device, ScalarType dtype)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        BatchSize = batchSize;
        Capacity = capacity;
        _keys = new Tensor[layers];
        _values = new Tensor[layers];
        for (int layer = 0; layer < layers; layer++)
        {
            _keys[layer] = zeros([batchSize, heads, Capacity, headSize], dtype, device).DetachFromDisposeScope(); // (B, nkv, ctx, hs)
            _values[layer] = zeros([batchSize, heads, Capacity, headSize], dtype, device).DetachFromDisposeScope(); // (B, nkv, ctx, hs)
        }
        _realTokens = ones([batchSize, Capacity], ScalarType.Bool, device).DetachFromDisposeScope(); // (B, ctx)
        _realCounts = zeros([batchSize], ScalarType.Int64, device).DetachFromDisposeScope();          // (B)
    }

    /// <summary>Number of sequences the cache holds side by side.</summary>
    public int BatchSize { get; }

    /// <summary>Most tokens the cache can hold: the model's context length.</summary>
    public int Capacity { get; }

    /// <summary>Tokens cached so far (padding included).</summary>
    public int Length { get; private set; }

    /// <summary>The device of the buffers.</summary>
    internal Device Device => _realTokens.device;

    /// <summary>Whether any cached position is left padding, so attention needs an explicit mask.</summary>
    internal bool HasPadding { get; private set; }

    /// <summary>Forgets every cached token, keeping the buffers.</summary>
    public void Reset()
    {
        Length = 0;
        HasPadding = false;
    }

    /// <summary>
    /// Records which of the next <c>T</c> tokens are real and returns their positions ((B, T), or (1, T) when nothing
    /// was ever padded) and the validity of every key the pass will attend to (B, past + T), null when all are real.
    /// </summary>
    internal (Tensor positions, Tensor? keyIsReal) Begin(Tensor? isReal, long time)
    {
        if (Length + time > Capacity)
            throw new InvalidOperationException($"The KV cache holds {Length} tokens; {time} more would exceed the context length {Capacity}. Reset the cache and pass the most recent tokens only.");
        var device = _realTokens.device;
        bool padded = isReal is not null && !isReal.all().item<bool>();
        if (!HasPadding && !padded)
            return (arange(Length, Length + time, ScalarType.Int64, device).unsqueeze(0), null); // (1, T): the padding bookkeeping can wait

        if (!HasPadding)
        {
            // First padding seen: everything cached so far was real.
            _realTokens.narrow(1, 0, Length).fill_(true);
            _realCounts.fill_(Length);
            HasPadding = true;
        }
        var real = isReal ?? ones([BatchSize, time], ScalarType.Bool, device);             // (B, T)
        _realTokens.narrow(1, Length, time).copy_(real);
        var positions = (_realCounts.unsqueeze(1) + real.cumsum(1) - 1).clamp_min(0);      // (B, T)
        _realCounts.add_(real.sum(1));
        return (positions, _realTokens.narrow(1, 0, Length + time));                        // (B, past + T)
    }

    /// <summary>Writes layer <paramref name="layer"/>'s new keys and values and returns all cached ones, (B, nh, past + T, hs) each.</summary>
    internal (Tensor keys, Tensor values) Append(int layer, Tensor newKeys, Tensor newValues)
    {
        long time = newKeys.shape[2];
        _keys[layer].narrow(2, Length, time).copy_(newKeys);
        _values[layer].narrow(2, Length, time).copy_(newValues);
        return (_keys[layer].narrow(2, 0, Length + time), _values[layer].narrow(2, 0, Length + time)); // (B, nh, past + T, hs)
    }

    /// <summary>Marks the <paramref name="time"/> tokens of the finished pass as cached.</summary>
    internal void Advance(long time) => Length += (int)time;

    /// <summary>Frees the buffers.</summary>
    public void Dispose()
    {
        foreach (var tensor in _keys.Concat(_values).Append(_realTokens).Append(_realCounts)) tensor.Dispose();
    }
}
