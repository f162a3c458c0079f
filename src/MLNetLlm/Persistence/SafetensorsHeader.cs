using System.Text.Json;

namespace MLNetLlm.Persistence;

/// <summary>
/// The parsed and validated header of a safetensors file: the tensors, sorted by where their data starts, and the
/// optional <c>__metadata__</c> strings. Every check the format allows happens here, so a reader never hands out
/// bytes outside the file.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The format's own limit on the header size (100 MB); a larger value means a corrupt or foreign file.</summary>
    public const long MaxHeaderLength = 100_000_000;

    private SafetensorsHeader(IReadOnlyList<SafetensorsTensorInfo> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        Tensors = tensors;
        Metadata = metadata;
    }

    public IReadOnlyList<SafetensorsTensorInfo> Tensors { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Checks the 8-byte length prefix against the file size and returns the header's length in bytes.</summary>
    public static long ReadLength(ReadOnlySpan<byte> prefix, long fileLength, string source)
    {
        if (fileLength < 8)
            throw Invalid(source, $"is {fileLength} bytes long, too short for the 8-byte header length that starts a safetensors file");
        ulong length = BitConverter.ToUInt64(prefix[..8]);
        if (length > (ulong)(fileLength - 8))
            throw Invalid(source, $"declares a header of {length} bytes, beyond the end of the file ({fileLength} bytes); the file is truncated or not safetensors");
        if (length > MaxHeaderLength)
            throw Invalid(source, $"declares a header of {length} bytes, over the format's limit of {MaxHeaderLength}");
        if (length < 2)
            throw Invalid(source, $"declares a header of {length} bytes, too short for a JSON object");
        return (long)length;
    }

    /// <summary>Parses the JSON header and validates every tensor against a data section of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, string source)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw Invalid(source, $"has a header that is not valid JSON: {e.Message}");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid(source, $"has a header that is a JSON {document.RootElement.ValueKind}, not an object");

            var tensors = new List<SafetensorsTensorInfo>();
            var metadata = new Dictionary<string, string>();
            var seen = new HashSet<string>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!seen.Add(property.Name))
                    throw Invalid(source, $"names '{property.Name}' twice in its header");
                if (property.Name == "__metadata__")
                    ReadMetadata(property.Value, metadata, source);
                else
                    tensors.Add(ReadTensor(property.Name, property.Value, dataLength, source));
            }

            tensors.Sort((a, b) => a.DataBegin != b.DataBegin ? a.DataBegin.CompareTo(b.DataBegin) : a.DataEnd.CompareTo(b.DataEnd));
            CheckNoOverlap(tensors, source);
            return new SafetensorsHeader(tensors, metadata);
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Invalid(source, "has a __metadata__ entry that is not a JSON object");
        foreach (var entry in element.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
                throw Invalid(source, $"has __metadata__ entry '{entry.Name}' that is not a string");
            metadata[entry.Name] = entry.Value.GetString()!;
        }
    }

    private static SafetensorsTensorInfo ReadTensor(string name, JsonElement element, long dataLength, string source)
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw Invalid(source, $"describes tensor '{name}' with a JSON {element.ValueKind} instead of an object");

        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Invalid(source, $"gives tensor '{name}' no dtype string");
        string dtypeName = dtypeElement.GetString()!;
        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
            throw Invalid(source, $"gives tensor '{name}' the unknown dtype '{dtypeName}' (known: {SafetensorsDTypes.KnownNames})");

        var shape = ReadNonNegativeIntegers(element, "shape", name, source);
        var offsets = ReadNonNegativeIntegers(element, "data_offsets", name, source);
        if (offsets.Length != 2)
            throw Invalid(source, $"gives tensor '{name}' {offsets.Length} data_offsets instead of [begin, end]");
        long begin = offsets[0], end = offsets[1];
        if (begin > end)
            throw Invalid(source, $"gives tensor '{name}' data_offsets [{begin}, {end}] that end before they begin");
        if (end > dataLength)
            throw Invalid(source, $"gives tensor '{name}' data_offsets [{begin}, {end}] beyond the end of the data section " +
                $"({dataLength} bytes); the file is truncated or corrupt");

        long expectedBytes;
        try
        {
            expectedBytes = checked(shape.Aggregate(1L, (product, dimension) => product * dimension) * dtype.ElementSize());
        }
        catch (OverflowException)
        {
            throw Invalid(source, $"gives tensor '{name}' the shape {SafetensorsTensorInfo.FormatShape(shape)}, too large to address");
        }
        if (expectedBytes != end - begin)
            throw Invalid(source, $"gives tensor '{name}' shape {SafetensorsTensorInfo.FormatShape(shape)} of {dtype} ({expectedBytes} bytes) " +
                $"but data_offsets [{begin}, {end}] ({end - begin} bytes)");

        return new SafetensorsTensorInfo(name, dtype, shape, begin, end);
    }

    private static long[] ReadNonNegativeIntegers(JsonElement element, string field, string tensor, string source)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Invalid(source, $"gives tensor '{tensor}' no {field} array");
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long value) || value < 0)
                throw Invalid(source, $"gives tensor '{tensor}' a {field} entry that is not a non-negative integer: {item.GetRawText()}");
            values[i++] = value;
        }
        return values;
    }

    private static void CheckNoOverlap(List<SafetensorsTensorInfo> sorted, string source)
    {
        SafetensorsTensorInfo? previous = null;
        foreach (var tensor in sorted)
        {
            if (tensor.ByteLength == 0) continue;
            if (previous is not null && tensor.DataBegin < previous.DataEnd)
                throw Invalid(source, $"has overlapping tensors: '{previous.Name}' at [{previous.DataBegin}, {previous.DataEnd}] " +
                    $"and '{tensor.Name}' at [{tensor.DataBegin}, {tensor.DataEnd}]");
            previous = tensor;
        }
    }

    internal static InvalidDataException Invalid(string source, string problem) => new($"Safetensors file {source} {problem}.");
}
