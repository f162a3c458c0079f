using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;

namespace MLNetLlm.Kit;

/// <summary>
/// The one bridge to what ML.NET keeps internal (DESIGN.md, "What ML.NET keeps internal").
/// Nothing else in the project reflects over ML.NET. <c>MLNetInternalsTests</c> fails loudly
/// if an ML.NET upgrade moves any of these members.
/// </summary>
public static class MLNetInternals
{
    private static readonly PropertyInfo CatalogEnvironment = FindCatalogEnvironment();
    private static readonly ConstructorInfo ColumnConstructor = FindColumnConstructor();

    /// <summary>The environment behind a catalog (<c>IInternalCatalog.Environment</c>).</summary>
    public static IHostEnvironment GetEnvironment(object catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return (IHostEnvironment)(CatalogEnvironment.GetValue(catalog)
            ?? throw new InvalidOperationException($"The {catalog.GetType().Name} has no environment."));
    }

    /// <summary>A <see cref="SchemaShape.Column"/> (its constructor is internal).</summary>
    public static SchemaShape.Column Column(string name, SchemaShape.Column.VectorKind kind, DataViewType itemType,
        bool isKey, SchemaShape? annotations = null) =>
        (SchemaShape.Column)ColumnConstructor.Invoke([name, kind, itemType, isKey, annotations]);

    /// <summary>The <see cref="SchemaShape.Column"/> that describes a column of a concrete schema.</summary>
    public static SchemaShape.Column Column(DataViewSchema.Column column)
    {
        var type = column.Type;
        var kind = type switch
        {
            VectorDataViewType { IsKnownSize: true } => SchemaShape.Column.VectorKind.Vector,
            VectorDataViewType => SchemaShape.Column.VectorKind.VariableVector,
            _ => SchemaShape.Column.VectorKind.Scalar,
        };
        var itemType = type is VectorDataViewType vector ? vector.ItemType : type;
        return itemType is KeyDataViewType key
            ? Column(column.Name, kind, KeyItemType(key), isKey: true)
            : Column(column.Name, kind, itemType, isKey: false);
    }

    /// <summary>The item type a <see cref="SchemaShape.Column"/> of a key holds: the key's raw number type (a shape
    /// refuses a key type as its item type, as ML.NET's own <c>SchemaShape.Create</c> does).</summary>
    public static DataViewType KeyItemType(KeyDataViewType key) => key.RawType switch
    {
        var t when t == typeof(byte) => NumberDataViewType.Byte,
        var t when t == typeof(ushort) => NumberDataViewType.UInt16,
        var t when t == typeof(uint) => NumberDataViewType.UInt32,
        _ => NumberDataViewType.UInt64,
    };

    private static PropertyInfo FindCatalogEnvironment()
    {
        var catalogInterface = typeof(TransformsCatalog).GetInterfaces().SingleOrDefault(i => i.Name == "IInternalCatalog")
            ?? throw Broken("interface IInternalCatalog on TransformsCatalog");
        return catalogInterface.GetProperty("Environment") ?? throw Broken("IInternalCatalog.Environment");
    }

    private static ConstructorInfo FindColumnConstructor() =>
        typeof(SchemaShape.Column).GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public, null,
            [typeof(string), typeof(SchemaShape.Column.VectorKind), typeof(DataViewType), typeof(bool), typeof(SchemaShape)], null)
        ?? throw Broken("SchemaShape.Column(string, VectorKind, DataViewType, bool, SchemaShape)");

    private static InvalidOperationException Broken(string member) =>
        new($"MLNetLlm cannot find the ML.NET member {member}: this ML.NET version changed an internal it relies on. " +
            "Use the Microsoft.ML version MLNetLlm was built against.");
}
