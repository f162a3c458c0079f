using System.Text.Json;

namespace MLNetLlm.Persistence;

/// <summary>
/// One tensor to write: its header entry and a callback that writes exactly its bytes (little-endian), so a writer
/// streams tensors one by one without gathering them in memory first.
/// </summary>
/// <param name="Name">The tensor's name; unique in the file and not <c>__metadata__</c>.</param>
/// <param name="DType">Its element type.</param>
/// <param name="Shape">Its dimensions, outermost first.</param>
/// <param name="WriteData">Writes the tensor's <c>product(Shape) * ElementSize</c> bytes to the stream it is given.</param>
public sealed record SafetensorsEntry(string Name, SafetensorsDType DType, IReadOnlyList<long> Shape, Action<Stream> WriteData)
{
    /// <summary>The number of bytes <see cref="WriteData"/> must write.</summary>
    public long ByteLength => checked(Shape.Aggregate(1L, (product, dimension) => product * dimension) * DType.ElementSize());

    /// <summary>An entry for float values stored as <paramref name="dtype"/> (F32, F16, BF16 or F64).</summary>
    /// <exception cref="ArgumentException">The values do not fill the shape, or the dtype is not a float type.</exception>
    public static SafetensorsEntry FromSingles(string name, float[] values, IReadOnlyList<long> shape, SafetensorsDType dtype = SafetensorsDType.F32)
    {
        if (!dtype.IsConvertibleFloat())
            throw new ArgumentException($"Floats cannot be stored as {dtype}.", nameof(dtype));
        long count = shape.Aggregate(1L, (product, dimension) => product * dimension);
        if (count != values.Length)
            throw new ArgumentException(
                $"Tensor '{name}' has shape {SafetensorsTensorInfo.FormatShape(shape)} ({count} values) but {values.Length} values were given.", nameof(values));
        return new SafetensorsEntry(name, dtype, shape, stream =>
        {
            var buffer = new byte[values.Length * dtype.ElementSize()];
            SafetensorsFloats.FromSingle(values, dtype, buffer);
            stream.Write(buffer);
        });
    }
}

/// <summary>
/// Writes safetensors files: an 8-byte little-endian header length, the JSON header padded with spaces to a multiple
/// of 8 bytes, then each tensor's data in order.
/// </summary>
public static class SafetensorsWriter
{
    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> through a temporary file in the same folder that
    /// replaces the target only once complete, so a failed write leaves any previous file untouched.
    /// </summary>
    /// <exception cref="ArgumentException">Two entries share a name, a name is reserved, or an entry wrote the wrong number of bytes.</exception>
    public static void Write(string path, IReadOnlyList<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        StagedFile.Write(path, temporary =>
        {
            using var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20);
            Write(stream, tensors, metadata);
        });
    }

    /// <summary>Writes <paramref name="tensors"/> to <paramref name="output"/>, data in the order given.</summary>
    /// <exception cref="ArgumentException">Two entries share a name, a name is reserved, or an entry wrote the wrong number of bytes.</exception>
    public static void Write(Stream output, IReadOnlyList<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = BuildHeader(tensors, metadata);
        Span<byte> length = stackalloc byte[8];
        BitConverter.TryWriteBytes(length, (ulong)header.Length);
        output.Write(length);
        output.Write(header);

        using var counter = new CountingStream(output);
        foreach (var tensor in tensors)
        {
            long before = counter.Count;
            tensor.WriteData(counter);
            long written = counter.Count - before;
            if (written != tensor.ByteLength)
                throw new ArgumentException(
                    $"Tensor '{tensor.Name}' wrote {written} bytes; its shape {SafetensorsTensorInfo.FormatShape(tensor.Shape)} of {tensor.DType} " +
                    $"needs {tensor.ByteLength}.", nameof(tensors));
        }
        output.Flush();
    }

    private static byte[] BuildHeader(IReadOnlyList<SafetensorsEntry> tensors, IReadOnlyDictionary<string, string>? metadata)
    {
        var names = new HashSet<string>();
        using var json = new MemoryStream();
        using (var writer = new Utf8JsonWriter(json))
        {
            writer.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                writer.WriteStartObject("__metadata__");
                foreach (var (key, value) in metadata) writer.WriteString(key, value);
                writer.WriteEndObject();
            }
            long offset = 0;
            foreach (var tensor in tensors)
            {
                if (tensor.Name == "__metadata__")
                    throw new ArgumentException("'__metadata__' is reserved and cannot name a tensor.", nameof(tensors));
                if (!names.Add(tensor.Name))
                    throw new ArgumentException($"Tensor name '{tensor.Name}' appears twice.", nameof(tensors));
                if (tensor.Shape.Any(dimension => dimension < 0))
                    throw new ArgumentException($"Tensor '{tensor.Name}' has a negative dimension in {SafetensorsTensorInfo.FormatShape(tensor.Shape)}.", nameof(tensors));
                writer.WriteStartObject(tensor.Name);
                writer.WriteString("dtype", tensor.DType.ToString());
                writer.WriteStartArray("shape");
                foreach (long dimension in tensor.Shape) writer.WriteNumberValue(dimension);
                writer.WriteEndArray();
                writer.WriteStartArray("data_offsets");
                writer.WriteNumberValue(offset);
                offset += tensor.ByteLength;
                writer.WriteNumberValue(offset);
                writer.WriteEndArray();
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        int padded = (int)((json.Length + 7) / 8 * 8);
        var header = new byte[padded];
        header.AsSpan().Fill((byte)' ');
        json.GetBuffer().AsSpan(0, (int)json.Length).CopyTo(header);
        return header;
    }

    /// <summary>Passes writes through and counts them, so the writer can check each tensor's size.</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        public long Count { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            inner.Write(buffer);
            Count += buffer.Length;
        }

        // The inner stream belongs to the caller.
        protected override void Dispose(bool disposing) { }
    }
}
