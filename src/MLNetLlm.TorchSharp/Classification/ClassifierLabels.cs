using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.TorchSharp.Classification;

/// <summary>
/// The classes of a fine-tuned classifier, in head order: <c>False</c>, <c>True</c> for a binary classifier; the
/// label's key values as text (key 1 is class 0) for a multiclass one, or <c>"1"</c>, <c>"2"</c>, ... when the key
/// has no values.
/// </summary>
/// <param name="IsBinary">True for a Boolean label (binary classification).</param>
/// <param name="Names">The class names, at least two.</param>
internal sealed record ClassifierLabels(bool IsBinary, IReadOnlyList<string> Names)
{
    public static ClassifierLabels Binary { get; } = new(true, ["False", "True"]);

    /// <summary>The labels of the label column <paramref name="name"/>, checked for the task.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The column is missing or of a type the task cannot learn; the message names it.</exception>
    public static ClassifierLabels Of(DataViewSchema schema, string name, bool binary, string component)
    {
        var column = schema.GetColumnOrNull(name)
            ?? throw new ArgumentOutOfRangeException("inputSchema", $"{component}: label column '{name}' was not found.");
        if (binary)
        {
            if (column.Type is not BooleanDataViewType)
                throw WrongLabel(component, name, $"{column.Type}", "Boolean", "convert it to Boolean, for example with a CustomMapping or Expression");
            return Binary;
        }
        if (column.Type is not KeyDataViewType key)
            throw WrongLabel(component, name, $"{column.Type}", "a key (as MapValueToKey makes)", $"append mlContext.Transforms.Conversion.MapValueToKey(\"{name}\") before the trainer");
        if (key.Count < 2 || key.Count > int.MaxValue)
            throw new ArgumentOutOfRangeException("inputSchema", $"{component}: label column '{name}' is a key of {key.Count} values; a classifier needs at least 2 classes.");
        return new ClassifierLabels(false, KeyNames(column, (int)key.Count));
    }

    /// <summary>The same checks on a schema shape, before fitting.</summary>
    public static void Check(SchemaShape schema, string name, bool binary, string component)
    {
        var column = schema.FirstOrDefault(c => c.Name == name);
        if (column.Name is null)
            throw new ArgumentOutOfRangeException("inputSchema", $"{component}: label column '{name}' was not found.");
        bool scalar = column.Kind == SchemaShape.Column.VectorKind.Scalar;
        if (binary && !(scalar && column.ItemType is BooleanDataViewType))
            throw WrongLabel(component, name, $"{column.ItemType}", "Boolean", "convert it to Boolean, for example with a CustomMapping or Expression");
        if (!binary && !(scalar && column.IsKey))
            throw WrongLabel(component, name, $"{column.ItemType}", "a key (as MapValueToKey makes)", $"append mlContext.Transforms.Conversion.MapValueToKey(\"{name}\") before the trainer");
    }

    /// <summary>A reader of the current row's class index: 0..count-1, or -1 for a missing key (key value 0).</summary>
    public Func<int> CreateReader(DataViewRow row, DataViewSchema.Column column)
    {
        if (IsBinary)
        {
            var getter = row.GetGetter<bool>(column);
            bool value = false;
            return () => { getter(ref value); return value ? 1 : 0; };
        }
        var read = KeyReader(row, column);
        return () => (int)read() - 1;
    }

    private static Func<ulong> KeyReader(DataViewRow row, DataViewSchema.Column column)
    {
        switch (column.Type.RawType)
        {
            case var t when t == typeof(uint): { var g = row.GetGetter<uint>(column); uint v = 0; return () => { g(ref v); return v; }; }
            case var t when t == typeof(ushort): { var g = row.GetGetter<ushort>(column); ushort v = 0; return () => { g(ref v); return v; }; }
            case var t when t == typeof(byte): { var g = row.GetGetter<byte>(column); byte v = 0; return () => { g(ref v); return v; }; }
            default: { var g = row.GetGetter<ulong>(column); ulong v = 0; return () => { g(ref v); return v; }; }
        }
    }

    private static string[] KeyNames(DataViewSchema.Column column, int count)
    {
        var annotation = column.Annotations.Schema.GetColumnOrNull(ClassifierColumns.KeyValuesKind);
        if (annotation is not { Type: VectorDataViewType vector } keyValues || vector.Size != count)
            return [.. Enumerable.Range(1, count).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];
        if (vector.ItemType is TextDataViewType)
        {
            VBuffer<ReadOnlyMemory<char>> text = default;
            column.Annotations.GetValue(keyValues.Name, ref text);
            return [.. text.DenseValues().Select(v => v.ToString())];
        }
        // Non-text key values (numbers, booleans) are kept as their invariant text.
        var getter = typeof(ClassifierLabels).GetMethod(nameof(ValuesAsText), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!
            .MakeGenericMethod(vector.ItemType.RawType);
        return (string[])getter.Invoke(null, [column.Annotations, keyValues.Name])!;
    }

    private static string[] ValuesAsText<T>(DataViewSchema.Annotations annotations, string name)
    {
        VBuffer<T> values = default;
        annotations.GetValue(name, ref values);
        return [.. values.DenseValues().Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "")];
    }

    private static ArgumentOutOfRangeException WrongLabel(string component, string name, string actual, string expected, string fix) =>
        new("inputSchema", $"{component}: label column '{name}' must be {expected}, but it is {actual}: {fix}.");
}
