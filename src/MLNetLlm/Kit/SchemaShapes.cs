using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Kit;

/// <summary>Schema shapes estimators predict: the input's columns with the added ones put in (replacing same names).</summary>
public static class SchemaShapes
{
    /// <summary>The shape <c>GetOutputSchema</c> predicts: <paramref name="input"/>'s columns, with each added column
    /// put in (replacing an input column of the same name), annotations included.</summary>
    public static SchemaShape WithAdded(SchemaShape input, IEnumerable<AddedColumn> added)
    {
        var columns = input.ToDictionary(c => c.Name);
        foreach (var column in added)
            columns[column.Name] = Shape(column);
        return new SchemaShape(columns.Values);
    }

    private static SchemaShape.Column Shape(AddedColumn column)
    {
        var kind = column.Type switch
        {
            VectorDataViewType { IsKnownSize: true } => SchemaShape.Column.VectorKind.Vector,
            VectorDataViewType => SchemaShape.Column.VectorKind.VariableVector,
            _ => SchemaShape.Column.VectorKind.Scalar,
        };
        var item = column.Type is VectorDataViewType vector ? vector.ItemType : column.Type;
        var annotations = column.Annotations is { } given ? new SchemaShape(given.Schema.Select(MLNetInternals.Column)) : null;
        return item is KeyDataViewType key
            ? MLNetInternals.Column(column.Name, kind, MLNetInternals.KeyItemType(key), true, annotations)
            : MLNetInternals.Column(column.Name, kind, item, false, annotations);
    }
}
