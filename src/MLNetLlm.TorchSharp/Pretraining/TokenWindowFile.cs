using System.Buffers;
using System.Runtime.InteropServices;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.Win32.SafeHandles;
using MLNetLlm.TorchSharp.Training;

namespace MLNetLlm.TorchSharp.Pretraining;

/// <summary>
/// Next-token windows streamed once from a windows data view (the <c>InputIds</c>/<c>TargetIds</c> columns of
/// <c>CreateNextTokenWindows</c>) into a temporary file, and read back by index. The trainer visits windows in a
/// shuffled order, so it needs them addressable; holding them in arrays cost 16 bytes a token of RAM, which bounded the
/// corpus by memory. Here resident memory is a write buffer and one window whatever the corpus size, and the file holds
/// 8 bytes a token (4-byte ids: the input row, then the target row, of each window), left to the OS page cache.
/// </summary>
/// <remarks>The file is opened delete-on-close: disposing this removes it (a killed process can leave it in the
/// temporary folder).</remarks>
internal sealed class TokenWindowFile : ITokenWindowSource, IDisposable
{
    private const int WindowsPerWrite = 256;
    private readonly SafeFileHandle _file;

    private TokenWindowFile(SafeFileHandle file, long windowCount, int windowLength)
    {
        _file = file;
        WindowCount = windowCount;
        WindowLength = windowLength;
    }

    /// <inheritdoc/>
    public long WindowCount { get; }

    /// <inheritdoc/>
    public int WindowLength { get; }

    /// <summary>Streams every window of <paramref name="windows"/> into a new temporary file; null when there are none.</summary>
    /// <exception cref="InvalidDataException">A row is not <paramref name="windowLength"/> long, or an id does not fit in 32 bits.</exception>
    public static TokenWindowFile? Write(IDataView windows, int windowLength, string? folder = null)
    {
        var path = Path.Combine(folder ?? Path.GetTempPath(), $"mlnetllm-windows-{Guid.NewGuid():N}.bin");
        var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
        try
        {
            long count = Append(file, windows, windowLength);
            if (count > 0) return new TokenWindowFile(file, count, windowLength);
            file.Dispose();
            return null;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    private static long Append(SafeFileHandle file, IDataView windows, int windowLength)
    {
        var inputColumn = windows.Schema["InputIds"];
        var targetColumn = windows.Schema["TargetIds"];
        var buffer = new int[WindowsPerWrite * 2 * windowLength];
        long count = 0, offset = 0;
        int filled = 0;
        using var cursor = windows.GetRowCursor([inputColumn, targetColumn]);
        var getInputs = cursor.GetGetter<VBuffer<long>>(inputColumn);
        var getTargets = cursor.GetGetter<VBuffer<long>>(targetColumn);
        VBuffer<long> row = default;
        while (cursor.MoveNext())
        {
            getInputs(ref row);
            Narrow(row, buffer.AsSpan(filled, windowLength), count, "input");
            getTargets(ref row);
            Narrow(row, buffer.AsSpan(filled + windowLength, windowLength), count, "target");
            filled += 2 * windowLength;
            count++;
            if (filled == buffer.Length)
            {
                RandomAccess.Write(file, MemoryMarshal.AsBytes(buffer.AsSpan()), offset);
                offset += buffer.Length * sizeof(int);
                filled = 0;
            }
        }
        RandomAccess.Write(file, MemoryMarshal.AsBytes(buffer.AsSpan(0, filled)), offset);
        return count;
    }

    private static void Narrow(VBuffer<long> row, Span<int> destination, long window, string what)
    {
        if (row.Length != destination.Length)
            throw new InvalidDataException($"Window {window} has {row.Length} {what} ids; every window must have {destination.Length}.");
        int t = 0;
        foreach (var id in row.DenseValues())
        {
            if (id is < ITokenWindowSource.IgnoredTarget or > int.MaxValue)
                throw new InvalidDataException($"Window {window} has {what} id {id}, outside the 32-bit ids a vocabulary can have.");
            destination[t++] = (int)id;
        }
    }

    /// <inheritdoc/>
    public void CopyWindow(long index, Span<long> inputIds, Span<long> targetIds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, WindowCount);
        int length = WindowLength;
        var window = ArrayPool<int>.Shared.Rent(2 * length);
        try
        {
            var bytes = MemoryMarshal.AsBytes(window.AsSpan(0, 2 * length));
            long offset = index * bytes.Length;
            for (int read = 0, n; read < bytes.Length; read += n)
                if ((n = RandomAccess.Read(_file, bytes[read..], offset + read)) == 0)
                    throw new IOException($"The window file ended inside window {index}.");
            for (int t = 0; t < length; t++)
            {
                inputIds[t] = window[t];
                targetIds[t] = window[length + t];
            }
        }
        finally
        {
            ArrayPool<int>.Shared.Return(window);
        }
    }

    /// <summary>Closes and deletes the file.</summary>
    public void Dispose() => _file.Dispose();
}
