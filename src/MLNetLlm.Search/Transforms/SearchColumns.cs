using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Search;

/// <summary>The column checks of the search components, before <c>Fit</c> (schema shapes) and after (schemas), naming the column.</summary>
internal static class SearchColumns
{
    public const string Component = "IndexVectors";

    public static bool IsText(SchemaShape.Column c) => c.Kind == SchemaShape.Column.VectorKind.Scalar && c.ItemType is TextDataViewType;

    public static bool IsFloatVector(SchemaShape.Column c) => c.Kind != SchemaShape.Column.VectorKind.Scalar && c.ItemType == NumberDataViewType.Single && !c.IsKey;

    public static bool IsFloatVector(DataViewType t) => t is VectorDataViewType v && v.ItemType == NumberDataViewType.Single;

    public static SchemaShape.Column Require(SchemaShape schema, string name, Func<SchemaShape.Column, bool> fits, string expected)
    {
        var found = schema.Where(c => c.Name == name).ToArray();
        if (found.Length == 0)
            throw new ArgumentOutOfRangeException(nameof(schema), $"{Component}: the input has no column '{name}'.");
        var column = found[0];
        if (!fits(column))
            throw new ArgumentOutOfRangeException(nameof(schema), $"{Component}: column '{name}' must be {expected}, not {column.ItemType}{(column.Kind == SchemaShape.Column.VectorKind.Scalar ? "" : " vector")}.");
        return column;
    }

    public static DataViewSchema.Column Require(DataViewSchema schema, string name, Func<DataViewType, bool> fits, string expected)
    {
        var column = schema.GetColumnOrNull(name) ?? throw new ArgumentOutOfRangeException(nameof(schema), $"{Component}: the input has no column '{name}'.");
        if (!fits(column.Type))
            throw new ArgumentOutOfRangeException(nameof(schema), $"{Component}: column '{name}' must be {expected}, not {column.Type}.");
        return column;
    }

    /// <summary>Checks the query column: text needs an embedder; a vector must be Single of the index's dimension (when its size is known).</summary>
    public static void RequireQuery(DataViewType type, string name, bool hasEmbedder, int dimension)
    {
        if (type is TextDataViewType)
        {
            if (!hasEmbedder)
                throw new ArgumentOutOfRangeException(nameof(type), $"{Component}: the query column '{name}' is text, but no embedder was given: set VectorSearchOptions.Embedder to the embedder of the corpus, or give a vector query column.");
            return;
        }
        if (type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(nameof(type), $"{Component}: the query column '{name}' must be text or a vector of Single, not {type}.");
        if (vector.Size != 0 && vector.Size != dimension)
            throw new ArgumentOutOfRangeException(nameof(type), $"{Component}: the query column '{name}' holds vectors of {vector.Size} Single; the index holds vectors of {dimension}.");
    }

    public static void RequireQuery(SchemaShape schema, string name, bool hasEmbedder)
    {
        var column = Require(schema, name, c => IsText(c) || IsFloatVector(c), "text or a vector of Single");
        if (IsText(column) && !hasEmbedder)
            RequireQuery(TextDataViewType.Instance, name, hasEmbedder, 0);
    }
}
