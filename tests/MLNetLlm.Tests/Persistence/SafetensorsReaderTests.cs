using System.Text;
using MLNetLlm.Persistence;

namespace MLNetLlm.Tests.Persistence;

public class SafetensorsReaderTests
{
    [Fact]
    public void Written_tensors_read_back_with_names_shapes_dtypes_metadata_and_bytes()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("a.safetensors");
        float[] weights = [1, 2, 3, 4, 5, 6];
        SafetensorsWriter.Write(path,
        [
            SafetensorsEntry.FromSingles("w", weights, [2, 3]),
            new SafetensorsEntry("ids", SafetensorsDType.I64, [2], s => s.Write(BitConverter.GetBytes(7L).Concat(BitConverter.GetBytes(-1L)).ToArray())),
            SafetensorsEntry.FromSingles("empty", [], [0, 4]),
        ], new Dictionary<string, string> { ["format"] = "pt" });

        using var reader = SafetensorsReader.Open(path);

        Assert.Equal(["w", "ids", "empty"], reader.Tensors.Select(t => t.Name));
        Assert.Equal("pt", reader.Metadata["format"]);
        var w = reader.GetTensor("w");
        Assert.Equal(SafetensorsDType.F32, w.DType);
        Assert.Equal([2L, 3L], w.Shape);
        var read = new float[6];
        SafetensorsFloats.ToSingle(reader.GetBytes(w), w.DType, read);
        Assert.Equal(weights, read);
        Assert.Equal(-1L, BitConverter.ToInt64(reader.GetBytes(reader.GetTensor("ids"), 8, 8)));
        Assert.Equal(0, reader.GetBytes(reader.GetTensor("empty")).Length);
    }

    [Theory]
    [InlineData(SafetensorsDType.F16)]
    [InlineData(SafetensorsDType.BF16)]
    public void Half_precision_tensors_round_trip_through_a_file(SafetensorsDType dtype)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("half.safetensors");
        float[] values = [0.5f, -1.25f, 3f, 1024f];
        SafetensorsWriter.Write(path, [SafetensorsEntry.FromSingles("h", values, [2, 2], dtype)]);

        using var reader = SafetensorsReader.Open(path);
        var tensor = reader.GetTensor("h");
        var read = new float[4];
        SafetensorsFloats.ToSingle(reader.GetBytes(tensor), tensor.DType, read);

        Assert.Equal(dtype, tensor.DType);
        Assert.Equal(8, tensor.ByteLength);
        Assert.Equal(values, read); // all exactly representable in both formats
    }

    [Fact]
    public void Bytes_are_only_handed_out_for_own_tensors_in_range_while_open()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("a.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsEntry.FromSingles("a", [1f, 2f], [2])]);
        var reader = SafetensorsReader.Open(path);
        var a = reader.GetTensor("a");

        Assert.Throws<ArgumentOutOfRangeException>(() => reader.GetBytes(a, 4, 8).Length);
        Assert.Throws<ArgumentException>(() => reader.GetBytes(a with { Name = "b" }).Length);
        Assert.Contains("no tensor 'b'", Assert.Throws<KeyNotFoundException>(() => reader.GetTensor("b")).Message);
        reader.Dispose();
        Assert.Throws<ObjectDisposedException>(() => reader.GetBytes(a).Length);
    }

    [Fact]
    public void Header_is_padded_to_eight_bytes_with_spaces()
    {
        using var stream = new MemoryStream();
        SafetensorsWriter.Write(stream, [SafetensorsEntry.FromSingles("x", [1f], [1])]);
        var bytes = stream.ToArray();
        long headerLength = BitConverter.ToInt64(bytes, 0);

        Assert.Equal(0, headerLength % 8);
        Assert.Equal((byte)' ', bytes[8 + headerLength - 1]);
        Assert.Equal(8 + headerLength + 4, bytes.Length);
    }

    [Fact]
    public void A_header_length_beyond_the_file_is_rejected()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("bad.safetensors");
        File.WriteAllBytes(path, [.. BitConverter.GetBytes(1000UL), .. "{}"u8]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
        Assert.Contains("header of 1000 bytes, beyond the end of the file", error.Message);
    }

    [Fact]
    public void A_file_shorter_than_the_length_prefix_is_rejected()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
        Assert.Contains("3 bytes long", error.Message);
    }

    [Fact]
    public void A_truncated_file_names_the_tensor_whose_data_is_cut_off()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("truncated.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsEntry.FromSingles("a", new float[4], [4]), SafetensorsEntry.FromSingles("b", new float[4], [4])]);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^3]);

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
        Assert.Contains("'b'", error.Message);
        Assert.Contains("truncated", error.Message);
    }

    [Fact]
    public void Overlapping_offsets_are_rejected_naming_both_tensors()
    {
        var error = OpenWithHeader("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", dataLength: 12);
        Assert.Contains("overlapping tensors: 'a' at [0, 8] and 'b' at [4, 12]", error.Message);
    }

    [Fact]
    public void Offsets_out_of_range_are_rejected()
    {
        var error = OpenWithHeader("""{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", dataLength: 8);
        Assert.Contains("'a' data_offsets [0, 16] beyond the end of the data section (8 bytes)", error.Message);
    }

    [Fact]
    public void Offsets_that_end_before_they_begin_are_rejected()
    {
        var error = OpenWithHeader("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}""", dataLength: 8);
        Assert.Contains("end before they begin", error.Message);
    }

    [Fact]
    public void An_unknown_dtype_is_rejected_naming_it()
    {
        var error = OpenWithHeader("""{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}}""", dataLength: 2);
        Assert.Contains("unknown dtype 'Q4'", error.Message);
        Assert.Contains("BF16", error.Message);
    }

    [Fact]
    public void A_shape_that_disagrees_with_the_byte_range_is_rejected()
    {
        var error = OpenWithHeader("""{"a":{"dtype":"F16","shape":[3],"data_offsets":[0,8]}}""", dataLength: 8);
        Assert.Contains("shape [3] of F16 (6 bytes) but data_offsets [0, 8] (8 bytes)", error.Message);
    }

    [Theory]
    [InlineData("{not json", "not valid JSON")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("""{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,0]}}""", "not a non-negative integer")]
    [InlineData("""{"a":{"dtype":"F32","data_offsets":[0,0]}}""", "no shape array")]
    [InlineData("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[0]}}""", "1 data_offsets")]
    [InlineData("""{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}}""", "names 'a' twice")]
    [InlineData("""{"__metadata__":{"n":1}}""", "not a string")]
    public void Malformed_headers_are_rejected_with_the_reason(string header, string reason)
    {
        var error = OpenWithHeader(header, dataLength: 0);
        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Writer_refuses_an_entry_that_writes_the_wrong_number_of_bytes()
    {
        using var stream = new MemoryStream();
        var error = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(stream, [new SafetensorsEntry("x", SafetensorsDType.F32, [2], s => s.Write(new byte[4]))]));
        Assert.Contains("'x' wrote 4 bytes", error.Message);
    }

    [Fact]
    public void A_failed_write_keeps_the_previous_file()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("keep.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsEntry.FromSingles("old", [1f], [1])]);

        Assert.Throws<InvalidOperationException>(() => SafetensorsWriter.Write(path,
            [new SafetensorsEntry("new", SafetensorsDType.F32, [1], _ => throw new InvalidOperationException("disk full"))]));

        using var reader = SafetensorsReader.Open(path);
        Assert.Equal("old", Assert.Single(reader.Tensors).Name);
        Assert.Single(Directory.GetFiles(folder.Path));
    }

    private static InvalidDataException OpenWithHeader(string header, int dataLength)
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("crafted.safetensors");
        var json = Encoding.UTF8.GetBytes(header);
        File.WriteAllBytes(path, [.. BitConverter.GetBytes((ulong)json.Length), .. json, .. new byte[dataLength]]);
        return Assert.Throws<InvalidDataException>(() => SafetensorsReader.Open(path));
    }
}
