using System.Collections;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Tests.Workout;

/// <summary>Reads a data view's visible values as comparable text, column by column (for small test data).</summary>
public static class DataViewValues
{
    /// <summary>Every visible column's values, one string per row (vectors written out densely).</summary>
    public static Dictionary<string, List<string>> Read(IDataView data, int maxRows = 10_000)
    {
        var preview = data.Preview(maxRows);
        var result = preview.Schema.Where(c => !c.IsHidden).ToDictionary(c => c.Name, _ => new List<string>());
        foreach (var row in preview.RowView)
            foreach (var (name, value) in row.Values)
                if (result.TryGetValue(name, out var values))
                    values.Add(Format(value));
        return result;
    }

    /// <summary>The values of one column, densely (works for scalars and vectors of any item type).</summary>
    public static List<T[]> Column<T>(IDataView data, string name)
    {
        var column = data.Schema[name];
        var values = new List<T[]>();
        using var cursor = data.GetRowCursor([column]);
        if (column.Type is VectorDataViewType)
        {
            var getter = cursor.GetGetter<VBuffer<T>>(column);
            VBuffer<T> buffer = default;
            while (cursor.MoveNext())
            {
                getter(ref buffer);
                values.Add(buffer.DenseValues().ToArray());
            }
        }
        else
        {
            var getter = cursor.GetGetter<T>(column);
            T value = default!;
            while (cursor.MoveNext())
            {
                getter(ref value);
                values.Add([value]);
            }
        }
        return values;
    }

    private static string Format(object? value) => value switch
    {
        null => "<null>",
        ReadOnlyMemory<char> text => "\"" + text + "\"",
        _ when value.GetType().IsGenericType && value.GetType().GetGenericTypeDefinition() == typeof(VBuffer<>) =>
            "[" + string.Join(", ", ((IEnumerable)value.GetType().GetMethod("DenseValues")!.Invoke(value, null)!).Cast<object?>().Select(Format)) + "]",
        float f => f.ToString("R"),
        double d => d.ToString("R"),
        _ => value.ToString() ?? "",
    };
}
