using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using static TorchSharp.torch;

namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Cuts a <see cref="ITokenWindowSource"/> into batches of (B, T) input and target tensors. With a seed, each epoch
/// visits the windows in its own shuffled order (a function of seed and epoch only, so a resumed run sees the same
/// batches); without one, in source order. The last batch of an epoch may be smaller. Ids are checked against the
/// vocabulary here, on the host where they come from, so the model never reads them back from the device to check them.
/// </summary>
internal sealed class WindowBatcher
{
    private readonly ITokenWindowSource _source;
    private readonly int? _seed;
    private readonly int _vocabulary;
    private readonly long[] _inputs;
    private readonly long[] _targets;
    private int _orderEpoch = -1;
    private long[]? _order;

    public WindowBatcher(ITokenWindowSource source, int batchSize, int? seed, int vocabulary)
    {
        _source = source;
        _seed = seed;
        _vocabulary = vocabulary;
        BatchSize = batchSize;
        _inputs = new long[checked(batchSize * source.WindowLength)];
        _targets = new long[_inputs.Length];
    }

    public int BatchSize { get; }

    public long BatchCount => (_source.WindowCount + BatchSize - 1) / BatchSize;

    /// <summary>Batch <paramref name="index"/> of <paramref name="epoch"/> as (B, T) int64 tensors on <paramref name="device"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A window holds an input id outside the vocabulary, or a target id
    /// that is neither in it nor the ignored target.</exception>
    public (Tensor Inputs, Tensor Targets) Batch(int epoch, long index, Device device)
    {
        long first = index * BatchSize;
        int rows = (int)Math.Min(BatchSize, _source.WindowCount - first);
        int length = _source.WindowLength;
        for (int row = 0; row < rows; row++)
            _source.CopyWindow(WindowAt(epoch, first + row), _inputs.AsSpan(row * length, length), _targets.AsSpan(row * length, length));
        Check(_inputs.AsSpan(0, rows * length), 0, "input", first, length, epoch);
        Check(_targets.AsSpan(0, rows * length), ITokenWindowSource.IgnoredTarget, "target", first, length, epoch);
        var shape = new long[] { rows, length };
        var inputTensor = tensor(_inputs.AsSpan(0, rows * length).ToArray(), shape).to(device);
        var targetTensor = tensor(_targets.AsSpan(0, rows * length).ToArray(), shape).to(device);
        return (inputTensor, targetTensor);
    }

    private void Check(ReadOnlySpan<long> ids, long lowest, string what, long first, int length, int epoch)
    {
        if (ids.IsEmpty || (TensorPrimitives.Min(ids) >= lowest && TensorPrimitives.Max(ids) < _vocabulary)) return;
        int bad = TensorPrimitives.Min(ids) < lowest ? TensorPrimitives.IndexOfMin(ids) : TensorPrimitives.IndexOfMax(ids);
        long window = WindowAt(epoch, first + bad / length);
        throw new ArgumentOutOfRangeException("source", $"Window {window} holds {what} id {ids[bad]}, outside the vocabulary [0, {_vocabulary}).");
    }

    private long WindowAt(int epoch, long position)
    {
        if (_seed is not { } s) return position;
        if (_orderEpoch != epoch)
        {
            _order = new long[_source.WindowCount];
            for (long i = 0; i < _order.LongLength; i++) _order[i] = i;
            new Random(unchecked(s * 1_000_003 + epoch)).Shuffle(_order); // seeded Random is stable across runs and processes
            _orderEpoch = epoch;
        }
        return _order![position];
    }
}
