using System.Globalization;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace MLNetLlm.Sampling;

/// <summary>
/// Numbers the distinct values of a label or group column 0, 1, 2, ... in order of first appearance, so the
/// samplers work on stratum indices. The numbering is kept across passes. Supported column types: key, bool,
/// text and the integer types; every distinct value is a stratum, including a missing key (0) and empty text.
/// Memory: one dictionary entry per distinct value.
/// </summary>
internal abstract class Strata
{
    protected Strata(DataViewSchema.Column column) => Column = column;

    /// <summary>The column the strata come from.</summary>
    public DataViewSchema.Column Column { get; }

    /// <summary>The number of distinct values seen so far.</summary>
    public abstract int Count { get; }

    /// <summary>Reads the stratum index of the current row of <paramref name="row"/>, numbering a new value.</summary>
    public abstract Func<int> Bind(DataViewRow row);

    /// <summary>The value of stratum <paramref name="stratum"/>, as text for messages.</summary>
    public abstract string Describe(int stratum);

    /// <summary>Strata over <paramref name="column"/>, or an error naming the column and argument if its type is not supported.</summary>
    public static Strata Create(DataViewSchema.Column column, string argumentName)
    {
        var type = column.Type;
        var raw = type.RawType;
        Strata? strata = type switch
        {
            TextDataViewType => new TextStrata(column),
            BooleanDataViewType => new ValueStrata<bool>(column),
            KeyDataViewType or NumberDataViewType when raw == typeof(byte) => new ValueStrata<byte>(column),
            KeyDataViewType or NumberDataViewType when raw == typeof(ushort) => new ValueStrata<ushort>(column),
            KeyDataViewType or NumberDataViewType when raw == typeof(uint) => new ValueStrata<uint>(column),
            KeyDataViewType or NumberDataViewType when raw == typeof(ulong) => new ValueStrata<ulong>(column),
            NumberDataViewType when raw == typeof(sbyte) => new ValueStrata<sbyte>(column),
            NumberDataViewType when raw == typeof(short) => new ValueStrata<short>(column),
            NumberDataViewType when raw == typeof(int) => new ValueStrata<int>(column),
            NumberDataViewType when raw == typeof(long) => new ValueStrata<long>(column),
            _ => null,
        };
        return strata ?? throw new ArgumentException(
            $"Column '{column.Name}' has type {type}, which cannot define strata or groups: use a key, bool, text or " +
            "integer column (map floats or vectors to a key first, e.g. with MapValueToKey).", argumentName);
    }

    private sealed class ValueStrata<T>(DataViewSchema.Column column) : Strata(column) where T : notnull
    {
        private readonly Dictionary<T, int> _indices = [];
        private readonly List<T> _values = [];

        public override int Count => _values.Count;

        public override Func<int> Bind(DataViewRow row)
        {
            var getter = row.GetGetter<T>(Column);
            T value = default!;
            return () =>
            {
                getter(ref value);
                if (_indices.TryGetValue(value, out var index))
                    return index;
                _indices.Add(value, _values.Count);
                _values.Add(value);
                return _values.Count - 1;
            };
        }

        public override string Describe(int stratum) => Convert.ToString(_values[stratum], CultureInfo.InvariantCulture) ?? "";
    }

    private sealed class TextStrata(DataViewSchema.Column column) : Strata(column)
    {
        private readonly Dictionary<string, int> _indices = new(StringComparer.Ordinal);
        private readonly List<string> _values = [];

        public override int Count => _values.Count;

        public override Func<int> Bind(DataViewRow row)
        {
            var getter = row.GetGetter<ReadOnlyMemory<char>>(Column);
            var lookup = _indices.GetAlternateLookup<ReadOnlySpan<char>>();
            ReadOnlyMemory<char> value = default;
            return () =>
            {
                getter(ref value);
                if (lookup.TryGetValue(value.Span, out var index))
                    return index;
                var text = value.ToString();
                _indices.Add(text, _values.Count);
                _values.Add(text);
                return _values.Count - 1;
            };
        }

        public override string Describe(int stratum) => _values[stratum];
    }
}
