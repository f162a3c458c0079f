namespace MLNetLlm.TorchSharp.Training;

/// <summary>
/// A fixed set of next-token training windows that the trainer reads by index, so it can visit them in a seeded
/// shuffled order and resume at any batch. Window <c>i</c> is a pair of token-id rows of length
/// <see cref="WindowLength"/>: the model's input and the ids it should predict at each position. A target of
/// <see cref="IgnoredTarget"/> (-1, the padding of <c>mlContext.Data.Llm.CreateNextTokenWindows</c>) adds no loss.
/// </summary>
/// <remarks>
/// The trainer batches <c>B</c> windows into (B, T) tensors with <c>T = WindowLength</c>. Implementations must return
/// the same values for the same index every time (a resumed run reads the windows again). See
/// <see cref="InMemoryTokenWindows"/> for one that holds the ids in two arrays.
/// </remarks>
public interface ITokenWindowSource
{
    /// <summary>The target id that marks a position without a next token: it adds nothing to the loss.</summary>
    public const long IgnoredTarget = -1;

    /// <summary>How many windows there are.</summary>
    long WindowCount { get; }

    /// <summary>The length T of every window's input and target rows.</summary>
    int WindowLength { get; }

    /// <summary>Copies window <paramref name="index"/> into the two spans, each <see cref="WindowLength"/> long.</summary>
    /// <param name="index">In [0, <see cref="WindowCount"/>).</param>
    /// <param name="inputIds">Receives the input token ids.</param>
    /// <param name="targetIds">Receives the target token ids (-1 where ignored).</param>
    void CopyWindow(long index, Span<long> inputIds, Span<long> targetIds);
}
