using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MLNetLlm.Topics.Reduction;

/// <summary>
/// Writes a matrix of floats (rows of equal length) as <c>{"Rows": n, "Columns": d, "Values": base64}</c>, the values as
/// little-endian IEEE singles: exact, and a fifth of the size of one indented JSON number per value (UMAP keeps every
/// training embedding).
/// </summary>
internal sealed class FloatRowsJsonConverter : JsonConverter<float[][]>
{
    public override float[][] Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        int rows = -1, columns = -1;
        byte[]? bytes = null;
        if (reader.TokenType != JsonTokenType.StartObject)
            throw new JsonException("A float matrix must be an object with Rows, Columns and Values.");
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            string name = reader.GetString() ?? "";
            reader.Read();
            switch (name)
            {
                case "Rows": rows = reader.GetInt32(); break;
                case "Columns": columns = reader.GetInt32(); break;
                case "Values": bytes = reader.GetBytesFromBase64(); break;
                default: reader.Skip(); break;
            }
        }
        if (rows < 0 || columns < 0 || bytes is null || (long)rows * columns * sizeof(float) != bytes.Length)
            throw new JsonException($"A float matrix of {rows} × {columns} values does not match its {bytes?.Length ?? 0} bytes.");
        var matrix = new float[rows][];
        for (int r = 0; r < rows; r++)
        {
            matrix[r] = new float[columns];
            for (int c = 0; c < columns; c++)
                matrix[r][c] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan((r * columns + c) * sizeof(float)));
        }
        return matrix;
    }

    public override void Write(Utf8JsonWriter writer, float[][] value, JsonSerializerOptions options)
    {
        int columns = value.Length == 0 ? 0 : value[0].Length;
        var bytes = new byte[checked(value.Length * columns * sizeof(float))];
        for (int r = 0; r < value.Length; r++)
        {
            if (value[r].Length != columns)
                throw new InvalidOperationException($"Row {r} has {value[r].Length} values; row 0 has {columns}.");
            for (int c = 0; c < columns; c++)
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan((r * columns + c) * sizeof(float)), value[r][c]);
        }
        writer.WriteStartObject();
        writer.WriteNumber("Rows", value.Length);
        writer.WriteNumber("Columns", columns);
        writer.WriteBase64String("Values", bytes);
        writer.WriteEndObject();
    }
}
