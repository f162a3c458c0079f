namespace MLNetLlm.Sampling;

/// <summary>
/// The row sequences a <see cref="SelectedRowsDataView"/> emits. Each is ordered by source position (a repeated
/// position is a row drawn more than once) and is cheap to restart, because every cursor walks it anew.
/// </summary>
internal static class RowSequences
{
    /// <summary>The rows at sorted <paramref name="positions"/>, one output row per entry.</summary>
    public static IEnumerable<SelectedRow> FromSortedPositions(long[] positions)
    {
        foreach (var position in positions)
            yield return new SelectedRow(position);
    }

    /// <summary>
    /// Every one of the <paramref name="rowCount"/> source rows, each followed by the <paramref name="extras"/>
    /// (sorted by position) that copy it or were made up from it.
    /// </summary>
    public static IEnumerable<SelectedRow> AllRowsPlus(long rowCount, SelectedRow[] extras)
    {
        var next = 0;
        for (long position = 0; position < rowCount; position++)
        {
            yield return new SelectedRow(position);
            while (next < extras.Length && extras[next].Position == position)
                yield return extras[next++];
        }
    }

    /// <summary>Rows <c>start, start + interval, ...</c> without end: the cursor stops where the data does.</summary>
    public static IEnumerable<SelectedRow> EveryInterval(long start, long interval)
    {
        for (var position = start; position >= 0; position += interval)
            yield return new SelectedRow(position);
    }

    /// <summary>
    /// Rows <c>floor(start + i * interval)</c> for <c>i = 0 .. count - 1</c> (a fractional interval), kept below
    /// <paramref name="rowCount"/> against rounding.
    /// </summary>
    public static IEnumerable<SelectedRow> EveryFractionalInterval(double start, double interval, long count, long rowCount)
    {
        for (long i = 0; i < count; i++)
            yield return new SelectedRow(Math.Min((long)Math.Floor(start + i * interval), rowCount - 1));
    }
}
