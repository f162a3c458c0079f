using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MLNetLlm.Embeddings;

/// <summary>
/// Writes and reads a <see cref="WordVectors"/> table as two files: <c>words.txt</c> (one word a line, in row order) and
/// <c>vectors.safetensors</c> (one F32 tensor <c>vectors</c> of shape (words, dimension), little-endian).
/// </summary>
internal static class WordVectorsFile
{
    public const string WordsFile = "words.txt";
    public const string VectorsFile = "vectors.safetensors";
    private const string TensorName = "vectors";

    public static void Save(WordVectors table, string directory)
    {
        Directory.CreateDirectory(directory);
        File.WriteAllLines(Path.Combine(directory, WordsFile), table.Words, new UTF8Encoding(false));
        var data = MemoryMarshal.AsBytes(table.AllVectors);
        var header = new JsonObject
        {
            [TensorName] = new JsonObject
            {
                ["dtype"] = "F32",
                ["shape"] = new JsonArray(table.Count, table.Dimension),
                ["data_offsets"] = new JsonArray(0, data.Length),
            },
        }.ToJsonString();
        var headerBytes = Encoding.UTF8.GetBytes(header.PadRight((header.Length + 7) / 8 * 8)); // data starts 8-byte aligned
        using var file = File.Create(Path.Combine(directory, VectorsFile));
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)headerBytes.Length);
        file.Write(length);
        file.Write(headerBytes);
        if (BitConverter.IsLittleEndian)
            file.Write(data);
        else
            throw new PlatformNotSupportedException("Writing safetensors needs a little-endian machine.");
    }

    /// <exception cref="InvalidDataException">A file is missing, malformed, or the two files disagree.</exception>
    public static WordVectors Load(string directory)
    {
        var wordsPath = Path.Combine(directory, WordsFile);
        var vectorsPath = Path.Combine(directory, VectorsFile);
        if (!File.Exists(wordsPath) || !File.Exists(vectorsPath))
            throw new InvalidDataException($"The saved word vectors are incomplete: {WordsFile} and {VectorsFile} are both needed.");
        var words = File.ReadAllLines(wordsPath, Encoding.UTF8);
        var bytes = File.ReadAllBytes(vectorsPath);
        if (bytes.Length < 8)
            throw Corrupt("it is shorter than its header length");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        if (headerLength > (ulong)bytes.Length - 8)
            throw Corrupt($"its header length {headerLength} runs past the end of the file");

        int rows, dimension;
        long start, end;
        try
        {
            var header = JsonNode.Parse(bytes.AsSpan(8, (int)headerLength))?[TensorName] ?? throw Corrupt($"it has no tensor '{TensorName}'");
            if ((string?)header["dtype"] != "F32")
                throw Corrupt($"'{TensorName}' is {(string?)header["dtype"]}, not F32");
            var shape = header["shape"]!.AsArray();
            var offsets = header["data_offsets"]!.AsArray();
            if (shape.Count != 2 || offsets.Count != 2)
                throw Corrupt($"'{TensorName}' must have a 2-D shape and two data offsets");
            (rows, dimension, start, end) = ((int)shape[0]!, (int)shape[1]!, (long)offsets[0]!, (long)offsets[1]!);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException or NullReferenceException)
        {
            throw Corrupt($"its header is not valid JSON of the safetensors layout ({e.Message})");
        }

        long dataStart = 8 + (long)headerLength;
        if (rows != words.Length)
            throw Corrupt($"it holds {rows} vectors but {WordsFile} has {words.Length} words");
        if (dimension < 1 || start != 0 || end - start != (long)rows * dimension * sizeof(float) || dataStart + end != bytes.Length)
            throw Corrupt($"its data offsets [{start}, {end}] do not fit a ({rows}, {dimension}) F32 tensor in {bytes.Length - dataStart} bytes");
        var vectors = MemoryMarshal.Cast<byte, float>(bytes.AsSpan((int)dataStart, (int)(end - start)));
        try
        {
            return WordVectors.Create(words, vectors, dimension);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"The saved word vectors are invalid: {e.Message}", e);
        }
    }

    private static InvalidDataException Corrupt(string why) => new($"{VectorsFile} is corrupt: {why}.");
}
