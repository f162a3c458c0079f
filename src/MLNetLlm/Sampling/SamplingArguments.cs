using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>Argument checks shared by the sampling methods: each error names the argument or column at fault.</summary>
internal static class SamplingArguments
{
    /// <summary>The column <paramref name="name"/> of <paramref name="data"/>, or an error naming it and the argument.</summary>
    public static DataViewSchema.Column Column(IDataView data, string? name, string argumentName, string role)
    {
        ArgumentException.ThrowIfNullOrEmpty(name, argumentName);
        return data.Schema.GetColumnOrNull(name)
            ?? throw new ArgumentException(
                $"The data has no column '{name}' to use as the {role} column. Its columns are: " +
                $"{string.Join(", ", data.Schema.Select(c => $"'{c.Name}'"))}.", argumentName);
    }

    /// <summary>Checks that <paramref name="fraction"/> lies in (0, 1].</summary>
    public static double Fraction(double fraction, string argumentName) =>
        fraction is > 0 and <= 1
            ? fraction
            : throw new ArgumentOutOfRangeException(argumentName, fraction, "A sampling fraction must lie in (0, 1].");

    /// <summary>Checks that <paramref name="count"/> is not negative.</summary>
    public static long Count(long count, string argumentName) =>
        count >= 0 ? count : throw new ArgumentOutOfRangeException(argumentName, count, "A row count cannot be negative.");

    /// <summary>Checks that exactly one of a count and a fraction is set, and that the one set is valid.</summary>
    public static void CountOrFraction(long? count, double? fraction, string countName, string fractionName)
    {
        if (count.HasValue == fraction.HasValue)
            throw new ArgumentException($"Set exactly one of {countName} and {fractionName}.", countName);
        if (count is { } n)
            Count(n, countName);
        if (fraction is { } f)
            Fraction(f, fractionName);
    }

    /// <summary>The number of rows of <paramref name="data"/>: its own count when it knows it, else one counting pass.</summary>
    public static long RowCount(IDataView data)
    {
        if (data.GetRowCount() is { } known)
            return known;
        using var cursor = data.GetRowCursor([]);
        long count = 0;
        while (cursor.MoveNext())
            count++;
        return count;
    }
}
