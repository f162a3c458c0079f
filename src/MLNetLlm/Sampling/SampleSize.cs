namespace MLNetLlm.Sampling;

/// <summary>
/// How many rows to draw from each stratum (the whole data is one stratum when there is no label column).
/// A size that depends on the strata's row counts costs one counting pass before the draw.
/// </summary>
internal sealed class SampleSize
{
    private readonly Func<int, IReadOnlyList<long>, long> _target;

    private SampleSize(bool needsCounts, string argumentName, Func<int, IReadOnlyList<long>, long> target)
    {
        NeedsCounts = needsCounts;
        ArgumentName = argumentName;
        _target = target;
    }

    /// <summary>Whether the target depends on the row count of each stratum.</summary>
    public bool NeedsCounts { get; }

    /// <summary>The argument an error names when a target cannot be met.</summary>
    public string ArgumentName { get; }

    /// <summary>The number of rows to draw from stratum <paramref name="stratum"/>.</summary>
    /// <param name="stratum">The stratum index.</param>
    /// <param name="rowsPerStratum">Rows of every stratum; empty when <see cref="NeedsCounts"/> is false.</param>
    public long Target(int stratum, IReadOnlyList<long> rowsPerStratum) => _target(stratum, rowsPerStratum);

    /// <summary>The same <paramref name="count"/> from every stratum.</summary>
    public static SampleSize Count(long count, string argumentName) => new(false, argumentName, (_, _) => count);

    /// <summary><c>round(fraction × rows)</c> from each stratum (halves round up), so proportions are exact to a row.</summary>
    public static SampleSize Fraction(double fraction, string argumentName) =>
        new(true, argumentName, (stratum, rows) => (long)Math.Round(fraction * rows[stratum], MidpointRounding.AwayFromZero));

    /// <summary>A target computed from the row counts of all strata.</summary>
    public static SampleSize FromCounts(Func<int, IReadOnlyList<long>, long> target, string argumentName) =>
        new(true, argumentName, target);
}
