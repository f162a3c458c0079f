using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Cuts a <see cref="ITokenWindowSource"/> into batches of (B, T) input and target tensors. With a seed, each epoch
/// visits the windows in its own shuffled order (a function of seed and epoch only, so a resumed run sees the same
/// batches); without one, in source order. The last batch of an epoch may be smaller.
/// </summary>
internal sealed class WindowBatcher
{
    private readonly ITokenWindowSource source;
    private readonly int? seed;
    private readonly long[] inputs;
    private readonly long[] targets;
    private int orderEpoch = -1;
    private long[]? order;

    public WindowBatcher(ITokenWindowSource source, int batchSize, int? seed)
    {
        this.source = source;
        this.seed = seed;
        BatchSize = batchSize;
        inputs = new long[checked(batchSize * source.WindowLength)];
        targets = new long[inputs.Length];
    }

    public int BatchSize { get; }

    public long BatchCount => (source.WindowCount + BatchSize - 1) / BatchSize;

    /// <summary>Batch <paramref name="index"/> of <paramref name="epoch"/> as (B, T) int64 tensors on <paramref name="device"/>.</summary>
    public (Tensor Inputs, Tensor Targets) Batch(int epoch, long index, Device device)
    {
        long first = index * BatchSize;
        int rows = (int)Math.Min(BatchSize, source.WindowCount - first);
        int length = source.WindowLength;
        for (int row = 0; row < rows; row++)
            source.CopyWindow(WindowAt(epoch, first + row), inputs.AsSpan(row * length, length), targets.AsSpan(row * length, length));
        var shape = new long[] { rows, length };
        var inputTensor = tensor(inputs.AsSpan(0, rows * length).ToArray(), shape).to(device);
        var targetTensor = tensor(targets.AsSpan(0, rows * length).ToArray(), shape).to(device);
        return (inputTensor, targetTensor);
    }

    private long WindowAt(int epoch, long position)
    {
        if (seed is not { } s) return position;
        if (orderEpoch != epoch)
        {
            order = new long[source.WindowCount];
            for (long i = 0; i < order.LongLength; i++) order[i] = i;
            new Random(unchecked(s * 1_000_003 + epoch)).Shuffle(order); // seeded Random is stable across runs and processes
            orderEpoch = epoch;
        }
        return order![position];
    }
}
