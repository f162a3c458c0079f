using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Topics;

/// <summary>The topic model's input column checks, before any work, with errors that name the column.</summary>
internal static class TopicColumns
{
    private const string Component = "TopicModel";

    public static void RequireEmbedding(SchemaShape schema, string name)
    {
        var column = Find(schema, name);
        if (column.Kind != SchemaShape.Column.VectorKind.Vector || column.ItemType != NumberDataViewType.Single)
            throw WrongType(name, "a known-size vector of Single (an embedding)", column.Kind + " of " + column.ItemType);
    }

    public static void RequireText(SchemaShape schema, string name)
    {
        var column = Find(schema, name);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw WrongType(name, "text (String)", column.Kind + " of " + column.ItemType);
    }

    /// <summary>The embedding column; <paramref name="size"/>, when given, is the size the model was fitted on.</summary>
    public static DataViewSchema.Column RequireEmbedding(DataViewSchema schema, string name, int? size = null)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(name);
        if (column.Type is not VectorDataViewType { IsKnownSize: true } vector || vector.ItemType != NumberDataViewType.Single)
            throw WrongType(name, "a known-size vector of Single (an embedding)", column.Type.ToString()!);
        if (size is int expected && vector.Size != expected)
            throw new ArgumentOutOfRangeException("inputSchema",
                $"{Component}: input column '{name}' holds vectors of {vector.Size} values, but the model was fitted on {expected}.");
        return column;
    }

    public static DataViewSchema.Column RequireText(DataViewSchema schema, string name)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(name);
        if (column.Type is not TextDataViewType)
            throw WrongType(name, "text (String)", column.Type.ToString()!);
        return column;
    }

    /// <summary>Fails when an embedding holds NaN or infinity.</summary>
    public static void RequireFinite(ReadOnlySpan<float> embedding, string name, long row)
    {
        foreach (var value in embedding)
            if (!float.IsFinite(value))
                throw new InvalidOperationException($"{Component}: input column '{name}' holds {value} in row {row}; embeddings must be finite.");
    }

    private static SchemaShape.Column Find(SchemaShape schema, string name)
    {
        foreach (var column in schema)
            if (column.Name == name)
                return column;
        throw Missing(name);
    }

    private static ArgumentOutOfRangeException Missing(string name) =>
        new("inputSchema", $"{Component}: input column '{name}' was not found.");

    private static ArgumentOutOfRangeException WrongType(string name, string expected, string actual) =>
        new("inputSchema", $"{Component}: input column '{name}' must be {expected}, but it is {actual}.");
}
