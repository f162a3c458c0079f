namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// Next-token windows held in two flat arrays, row after row: the simplest <see cref="ITokenWindowSource"/>, for
/// windows read once from an <c>IDataView</c> (the <c>InputIds</c>/<c>TargetIds</c> columns of
/// <c>CreateNextTokenWindows</c>) or cut from a token sequence with <see cref="FromTokens"/>.
/// </summary>
public sealed class InMemoryTokenWindows : ITokenWindowSource
{
    private readonly long[] _inputIds;
    private readonly long[] _targetIds;

    /// <summary>Windows from row-major arrays of <c>count × windowLength</c> ids each.</summary>
    /// <param name="inputIds">The input ids of every window, one after the other.</param>
    /// <param name="targetIds">The target ids, aligned with <paramref name="inputIds"/>; -1 where ignored.</param>
    /// <param name="windowLength">The length of one window; positive.</param>
    /// <exception cref="ArgumentException">The arrays differ in length, or are not a whole number of windows.</exception>
    public InMemoryTokenWindows(long[] inputIds, long[] targetIds, int windowLength)
    {
        ArgumentNullException.ThrowIfNull(inputIds);
        ArgumentNullException.ThrowIfNull(targetIds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        if (inputIds.Length != targetIds.Length)
            throw new ArgumentException($"The input ids ({inputIds.Length}) and target ids ({targetIds.Length}) must have the same length.", nameof(targetIds));
        if (inputIds.Length % windowLength != 0)
            throw new ArgumentException($"{inputIds.Length} ids are not a whole number of windows of length {windowLength}.", nameof(inputIds));
        _inputIds = inputIds;
        _targetIds = targetIds;
        WindowLength = windowLength;
    }

    /// <inheritdoc/>
    public long WindowCount => _inputIds.Length / WindowLength;

    /// <inheritdoc/>
    public int WindowLength { get; }

    /// <summary>
    /// Cuts <paramref name="tokens"/> into windows of <paramref name="windowLength"/> inputs, each target row the input
    /// row shifted by one token, starting every <paramref name="stride"/> tokens (as LLMs-from-scratch's
    /// <c>GPTDatasetV1</c>). Only whole windows are kept, except that a sequence too short for one gives a single
    /// window padded with id 0 (inputs) and -1 (targets), its last real token's target -1 too.
    /// </summary>
    /// <exception cref="ArgumentException">Fewer than two tokens: nothing to predict.</exception>
    public static InMemoryTokenWindows FromTokens(IReadOnlyList<int> tokens, int windowLength, int? stride = null)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowLength);
        int step = stride ?? windowLength;
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(step, nameof(stride));
        if (tokens.Count < 2) throw new ArgumentException($"Windows need at least two tokens; got {tokens.Count}.", nameof(tokens));

        var starts = new List<int>();
        for (int start = 0; start + windowLength < tokens.Count; start += step) starts.Add(start);
        if (starts.Count == 0) starts.Add(0);
        var inputs = new long[starts.Count * windowLength];
        var targets = new long[starts.Count * windowLength];
        Array.Fill(targets, ITokenWindowSource.IgnoredTarget);
        for (int w = 0; w < starts.Count; w++)
        {
            for (int t = 0; t < windowLength && starts[w] + t < tokens.Count; t++)
            {
                inputs[w * windowLength + t] = tokens[starts[w] + t];
                if (starts[w] + t + 1 < tokens.Count) targets[w * windowLength + t] = tokens[starts[w] + t + 1];
            }
        }
        return new InMemoryTokenWindows(inputs, targets, windowLength);
    }

    /// <inheritdoc/>
    public void CopyWindow(long index, Span<long> inputIds, Span<long> targetIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, WindowCount);
        int start = checked((int)(index * WindowLength));
        _inputIds.AsSpan(start, WindowLength).CopyTo(inputIds);
        _targetIds.AsSpan(start, WindowLength).CopyTo(targetIds);
    }
}
