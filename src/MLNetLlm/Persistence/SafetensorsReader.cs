using System.IO.MemoryMappedFiles;

namespace MLNetLlm.Persistence;

/// <summary>
/// Reads a safetensors file through a read-only memory map: the header is validated on open, and each tensor's bytes
/// are handed out as spans over the mapped file, so nothing is copied until the caller copies it where it belongs.
/// </summary>
/// <remarks>
/// Spans stay valid until the reader is disposed. Data is little-endian, as the format prescribes; the reader refuses
/// to run on a big-endian machine. Create one with <see cref="Open"/>.
/// </remarks>
public sealed unsafe class SafetensorsReader : IDisposable
{
    private readonly MemoryMappedFile _file;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _data;
    private readonly long _dataLength;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    private bool _disposed;

    private SafetensorsReader(string path, MemoryMappedFile file, MemoryMappedViewAccessor view, byte* start, long fileLength)
    {
        Path = path;
        _file = file;
        _view = view;
        long headerLength = SafetensorsHeader.ReadLength(new ReadOnlySpan<byte>(start, 8), fileLength, path);
        _data = start + 8 + headerLength;
        _dataLength = fileLength - 8 - headerLength;
        var header = SafetensorsHeader.Parse(new ReadOnlySpan<byte>(start + 8, (int)headerLength), _dataLength, path);
        Tensors = header.Tensors;
        Metadata = header.Metadata;
        _byName = header.Tensors.ToDictionary(t => t.Name);
    }

    /// <summary>The file this reader maps.</summary>
    public string Path { get; }

    /// <summary>The tensors in the order their data is laid out.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The header's <c>__metadata__</c> strings; empty when it has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Maps <paramref name="path"/> and validates its header.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is too short, its header length runs past the end of the file, its header is not valid JSON, a tensor
    /// has an unknown dtype, a shape that does not match its byte range, offsets outside the data, or overlaps another.
    /// </exception>
    public static SafetensorsReader Open(string path)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("Safetensors data is little-endian; this reader does not byte-swap on a big-endian machine.");
        var fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"Safetensors file {fullPath} does not exist.", fullPath);
        long length = new FileInfo(fullPath).Length;
        if (length < 8)
            throw SafetensorsHeader.Invalid(fullPath, $"is {length} bytes long, too short for the 8-byte header length that starts a safetensors file");

        var file = MemoryMappedFile.CreateFromFile(fullPath, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        bool acquired = false;
        try
        {
            view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* start = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref start);
            acquired = true;
            return new SafetensorsReader(fullPath, file, view, start + view.PointerOffset, length);
        }
        catch
        {
            if (acquired) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            file.Dispose();
            throw;
        }
    }

    /// <summary>Whether the file holds a tensor named <paramref name="name"/>.</summary>
    public bool Contains(string name) => _byName.ContainsKey(name);

    /// <summary>Finds a tensor by name.</summary>
    public bool TryGetTensor(string name, out SafetensorsTensorInfo tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>The tensor named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">The file has no such tensor.</exception>
    public SafetensorsTensorInfo GetTensor(string name) =>
        _byName.TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"Safetensors file {Path} has no tensor '{name}'.");

    /// <summary>All bytes of <paramref name="tensor"/>, straight from the mapped file.</summary>
    /// <exception cref="NotSupportedException">
    /// The tensor is larger than a span can address (2 GiB); read it in chunks with
    /// <see cref="GetBytes(SafetensorsTensorInfo, long, int)"/>.
    /// </exception>
    public ReadOnlySpan<byte> GetBytes(SafetensorsTensorInfo tensor)
    {
        if (tensor.ByteLength > int.MaxValue)
            throw new NotSupportedException($"Tensor '{tensor.Name}' has {tensor.ByteLength} bytes, more than one span holds; read it in chunks.");
        return GetBytes(tensor, 0, (int)tensor.ByteLength);
    }

    /// <summary><paramref name="count"/> bytes of <paramref name="tensor"/> from byte <paramref name="offset"/> of its data.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range is not inside the tensor's data.</exception>
    /// <exception cref="ArgumentException">The tensor is not one of this file's.</exception>
    public ReadOnlySpan<byte> GetBytes(SafetensorsTensorInfo tensor, long offset, int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_byName.TryGetValue(tensor.Name, out var own) || own != tensor)
            throw new ArgumentException($"Tensor '{tensor.Name}' does not belong to {Path}.", nameof(tensor));
        if (offset < 0 || count < 0 || offset + count > tensor.ByteLength)
            throw new ArgumentOutOfRangeException(nameof(offset), $"Bytes [{offset}, {offset + count}) are outside tensor '{tensor.Name}' ({tensor.ByteLength} bytes).");
        return new ReadOnlySpan<byte>(_data + tensor.DataBegin + offset, count);
    }

    /// <summary>Unmaps the file. Spans handed out before are invalid afterwards.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _file.Dispose();
    }
}
