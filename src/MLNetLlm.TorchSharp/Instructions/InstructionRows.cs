using MLNetLlm.Kit;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.TorchSharp.Instructions;

/// <summary>Reads instruction/input/response text columns of a view, checked by name first.</summary>
internal static class InstructionRows
{
    /// <summary>Checks that the named columns exist as text, naming the first that does not.</summary>
    public static void Check(SchemaShape schema, string component, params string?[] columns)
    {
        foreach (var column in columns)
            if (column is not null) ColumnChecks.RequireText(schema, column, component);
    }

    /// <summary>Every row's values of <paramref name="columns"/> (null names read as null values).</summary>
    public static List<string?[]> Read(IDataView data, string component, params string?[] columns)
    {
        var schemaColumns = columns.Select(c => c is null ? (DataViewSchema.Column?)null : ColumnChecks.RequireText(data.Schema, c, component)).ToArray();
        using var cursor = data.GetRowCursor(schemaColumns.Where(c => c is not null).Select(c => c!.Value));
        var getters = schemaColumns.Select(c => c is null ? null : cursor.GetGetter<ReadOnlyMemory<char>>(c.Value)).ToArray();
        var rows = new List<string?[]>();
        ReadOnlyMemory<char> value = default;
        while (cursor.MoveNext())
        {
            var row = new string?[columns.Length];
            for (int i = 0; i < columns.Length; i++)
            {
                if (getters[i] is not { } getter) continue;
                getter(ref value);
                row[i] = value.ToString();
            }
            rows.Add(row);
        }
        return rows;
    }
}
