using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Kit;

/// <summary>Input column checks shared by the transforms, before any work, with errors that name the column.</summary>
public static class ColumnChecks
{
    /// <summary>The text column <paramref name="name"/> of a schema shape (estimators, before <c>Fit</c>).</summary>
    public static void RequireText(SchemaShape schema, string name, string component)
    {
        var column = Find(schema, name) ?? throw Missing(component, name);
        if (column.Kind != SchemaShape.Column.VectorKind.Scalar || column.ItemType is not TextDataViewType)
            throw WrongType(component, name, "text (String)", Describe(column));
    }

    /// <summary>The text column <paramref name="name"/> of a schema (transformers).</summary>
    public static DataViewSchema.Column RequireText(DataViewSchema schema, string name, string component)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(component, name);
        if (column.Type is not TextDataViewType)
            throw WrongType(component, name, "text (String)", Describe(column.Type));
        return column;
    }

    /// <summary>A column of token ids: a vector of Int64 or Int32, of known or variable size.</summary>
    public static void RequireTokenIds(SchemaShape schema, string name, string component)
    {
        var column = Find(schema, name) ?? throw Missing(component, name);
        if (column.Kind == SchemaShape.Column.VectorKind.Scalar || !IsIdType(column.ItemType) || column.IsKey)
            throw WrongType(component, name, "a vector of Int64 or Int32 token ids", Describe(column));
    }

    /// <summary>A column of token ids: a vector of Int64 or Int32, of known or variable size.</summary>
    public static DataViewSchema.Column RequireTokenIds(DataViewSchema schema, string name, string component)
    {
        var column = schema.GetColumnOrNull(name) ?? throw Missing(component, name);
        if (column.Type is not VectorDataViewType vector || !IsIdType(vector.ItemType))
            throw WrongType(component, name, "a vector of Int64 or Int32 token ids", Describe(column.Type));
        return column;
    }

    /// <summary>Checks an output column name.</summary>
    public static void RequireName(string? name, string argument)
    {
        if (string.IsNullOrWhiteSpace(name))
            throw new ArgumentException("A column name cannot be null or blank.", argument);
    }

    private static SchemaShape.Column? Find(SchemaShape schema, string name)
    {
        foreach (var column in schema)
            if (column.Name == name)
                return column;
        return null;
    }

    private static string Describe(DataViewType type) => type.ToString() ?? type.GetType().Name;

    private static bool IsIdType(DataViewType type) => type == NumberDataViewType.Int64 || type == NumberDataViewType.Int32;

    private static string Describe(SchemaShape.Column column) => column.Kind switch
    {
        SchemaShape.Column.VectorKind.Scalar => Describe(column.ItemType),
        SchemaShape.Column.VectorKind.Vector => $"Vector<{Describe(column.ItemType)}>",
        _ => $"variable-length Vector<{Describe(column.ItemType)}>",
    } + (column.IsKey ? " (key)" : "");

    private static ArgumentOutOfRangeException Missing(string component, string name) =>
        new("inputSchema", $"{component}: input column '{name}' was not found.");

    private static ArgumentOutOfRangeException WrongType(string component, string name, string expected, string actual) =>
        new("inputSchema", $"{component}: input column '{name}' must be {expected}, but it is {actual}.");
}
