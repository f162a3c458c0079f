
namespace MLNetLlm.TorchSharp.Training;

/// <summary>The first windows of a source (all of them when <c>count</c> is null or larger).</summary>
internal sealed class FirstWindows(ITokenWindowSource source, long count) : ITokenWindowSource
{
    public static ITokenWindowSource Of(ITokenWindowSource source, long? count) =>
        count is long n && n < source.WindowCount ? new FirstWindows(source, n) : source;

    public long WindowCount => count;

    public int WindowLength => source.WindowLength;

    public void CopyWindow(long index, Span<long> inputIds, Span<long> targetIds)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, count);
        source.CopyWindow(index, inputIds, targetIds);
    }
}
