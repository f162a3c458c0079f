using Microsoft.ML;

namespace MLNetLlm.Sampling;

/// <summary>
/// The engine behind simple random, stratified, importance, stratified-importance, bootstrap and balanced
/// sampling: draws row positions per stratum, uniformly or in proportion to a weight, with or without replacement.
/// It reads only the label and weight columns and keeps only positions, so its memory is proportional to the
/// sample (plus one entry per stratum).
/// </summary>
/// <remarks>
/// <para>Without replacement it keeps, per stratum, the rows with the largest keys <c>u^(1/w)</c> (u uniform in (0, 1]):
/// the weighted reservoir A-Res of Efraimidis and Spirakis, which for equal weights is a uniform reservoir.
/// That is one pass, or two when the size depends on the strata's row counts (a fraction, balancing).</para>
/// <para>With replacement it first sums the weights of each stratum (a census pass), then draws sorted uniform
/// points on <c>[0, total)</c> and walks the cumulative weights in a second pass: a multinomial draw, each row
/// drawn with probability <c>w / total</c> independently per draw.</para>
/// <para>With no strata and no weights, when the data knows its row count, positions are drawn without any pass.</para>
/// </remarks>
internal sealed class RowDraw
{
    public required IDataView Data { get; init; }

    public Strata? Strata { get; init; }

    public Weights? Weights { get; init; }

    public required SampleSize Size { get; init; }

    public bool WithReplacement { get; init; }

    public required int Seed { get; init; }

    /// <summary>The number of passes over <see cref="Data"/> the last <see cref="Select"/> made.</summary>
    public int Passes { get; private set; }

    /// <summary>The number of rows the data had in the last pass of <see cref="Select"/>.</summary>
    public long RowsSeen { get; private set; }

    /// <summary>The chosen row positions in ascending order; a position drawn k times appears k times.</summary>
    public long[] Select()
    {
        Passes = 0;
        var random = new Random(Seed);
        if (Strata is null && Weights is null && Data.GetRowCount() is { } known)
            return DrawUniformFromKnownCount(known, random);
        var census = WithReplacement || Size.NeedsCounts ? TakeCensus() : null;
        return WithReplacement ? DrawWithReplacement(census!, random) : DrawWithoutReplacement(census, random);
    }

    private long[] DrawWithoutReplacement(Census? census, Random random)
    {
        var targets = new List<long>();
        var heaps = new List<PriorityQueue<long, double>>();
        var positive = new List<long>();
        var rows = new List<long>();
        foreach (var (stratum, target) in CensusTargets(census))
        {
            if (target > census!.Positive[stratum])
                throw TooMany(stratum, target, census.Positive[stratum]);
        }

        using (var cursor = Data.GetRowCursor(ActiveColumns()))
        {
            Passes++;
            var readStratum = Strata?.Bind(cursor);
            var readWeight = Weights?.Bind(cursor);
            long position = -1;
            while (cursor.MoveNext())
            {
                position++;
                var stratum = readStratum?.Invoke() ?? 0;
                if (census is not null && stratum >= census.Rows.Count)
                    throw DataChanged();
                if (stratum == targets.Count)
                {
                    targets.Add(Size.Target(stratum, census?.Rows ?? []));
                    heaps.Add(new PriorityQueue<long, double>());
                    positive.Add(0);
                    rows.Add(0);
                }
                rows[stratum]++;
                var weight = readWeight?.Invoke(position) ?? 1;
                if (weight == 0)
                    continue;
                positive[stratum]++;
                var target = targets[stratum];
                if (target == 0)
                    continue;
                var u = 1 - random.NextDouble();
                var key = readWeight is null ? u : Math.Log(u) / weight;
                var heap = heaps[stratum];
                if (heap.Count < target)
                    heap.Enqueue(position, key);
                else if (key > GetMinimumKey(heap))
                    heap.EnqueueDequeue(position, key);
            }
            RowsSeen = position + 1;
        }

        CheckSomeWeight(rows.Sum(), positive.Sum());
        var chosen = new List<long>();
        for (var stratum = 0; stratum < targets.Count; stratum++)
        {
            if (positive[stratum] < targets[stratum])
                throw TooMany(stratum, targets[stratum], positive[stratum]);
            foreach (var (position, _) in heaps[stratum].UnorderedItems)
                chosen.Add(position);
        }
        var positions = chosen.ToArray();
        Array.Sort(positions);
        return positions;
    }

    /// <summary>
    /// Uniform draws when the data knows its row count: positions come straight from the random generator, with no
    /// pass (Floyd's algorithm without replacement, independent uniform positions with replacement).
    /// </summary>
    private long[] DrawUniformFromKnownCount(long rowCount, Random random)
    {
        RowsSeen = rowCount;
        if (rowCount == 0)
            return [];
        var target = Size.Target(0, [rowCount]);
        if (!WithReplacement && target > rowCount)
            throw TooMany(0, target, rowCount);
        var positions = new long[target];
        if (WithReplacement)
        {
            for (var i = 0; i < positions.Length; i++)
                positions[i] = random.NextInt64(rowCount);
        }
        else
        {
            // Floyd: for j = N - n .. N - 1 add a uniform t in [0, j], or j itself when t is already in.
            var chosen = new HashSet<long>(positions.Length);
            var written = 0;
            for (var j = rowCount - target; j < rowCount; j++)
            {
                var t = random.NextInt64(j + 1);
                positions[written++] = chosen.Add(t) ? t : Add(chosen, j);
            }
        }
        Array.Sort(positions);
        return positions;

        static long Add(HashSet<long> set, long value)
        {
            set.Add(value);
            return value;
        }
    }

    private static double GetMinimumKey(PriorityQueue<long, double> heap)
    {
        heap.TryPeek(out _, out var key);
        return key;
    }

    private long[] DrawWithReplacement(Census census, Random random)
    {
        CheckSomeWeight(census.Rows.Sum(), census.Positive.Sum());
        var strata = census.Rows.Count;
        var points = new double[strata][];
        long total = 0;
        foreach (var (stratum, target) in CensusTargets(census))
        {
            if (target > 0 && census.WeightSums[stratum] == 0)
                throw Weights!.AllZero($"in stratum '{Strata!.Describe(stratum)}' of column '{Strata.Column.Name}'");
            var stratumPoints = new double[target];
            for (var i = 0; i < stratumPoints.Length; i++)
                stratumPoints[i] = random.NextDouble() * census.WeightSums[stratum];
            Array.Sort(stratumPoints);
            points[stratum] = stratumPoints;
            total += target;
        }

        var positions = new long[total];
        var written = 0;
        var cumulative = new double[strata];
        var next = new int[strata];
        var lastPositive = new long[strata];
        using (var cursor = Data.GetRowCursor(ActiveColumns()))
        {
            Passes++;
            var readStratum = Strata?.Bind(cursor);
            var readWeight = Weights?.Bind(cursor);
            long position = -1;
            while (cursor.MoveNext())
            {
                position++;
                var stratum = readStratum?.Invoke() ?? 0;
                if (stratum >= strata)
                    throw DataChanged();
                var weight = readWeight?.Invoke(position) ?? 1;
                if (weight == 0)
                    continue;
                var end = cumulative[stratum] + weight;
                var stratumPoints = points[stratum];
                while (next[stratum] < stratumPoints.Length && stratumPoints[next[stratum]] < end)
                {
                    positions[written++] = position;
                    next[stratum]++;
                }
                cumulative[stratum] = end;
                lastPositive[stratum] = position;
            }
            RowsSeen = position + 1;
        }

        // Rounding in the running sum can leave a point just below the total unclaimed: it belongs to the last row.
        for (var stratum = 0; stratum < strata; stratum++)
        {
            for (; next[stratum] < points[stratum].Length; next[stratum]++)
                positions[written++] = lastPositive[stratum];
        }
        Array.Sort(positions);
        return positions;
    }

    private IEnumerable<(int Stratum, long Target)> CensusTargets(Census? census)
    {
        if (census is null)
            yield break;
        for (var stratum = 0; stratum < census.Rows.Count; stratum++)
        {
            var target = Size.Target(stratum, census.Rows);
            if (target < 0)
                throw new ArgumentOutOfRangeException(Size.ArgumentName, target, "A row count cannot be negative.");
            yield return (stratum, target);
        }
    }

    private Census TakeCensus()
    {
        var census = new Census();
        using var cursor = Data.GetRowCursor(ActiveColumns());
        Passes++;
        var readStratum = Strata?.Bind(cursor);
        var readWeight = Weights?.Bind(cursor);
        long position = -1;
        while (cursor.MoveNext())
        {
            position++;
            var stratum = readStratum?.Invoke() ?? 0;
            if (stratum == census.Rows.Count)
            {
                census.Rows.Add(0);
                census.Positive.Add(0);
                census.WeightSums.Add(0);
            }
            var weight = readWeight?.Invoke(position) ?? 1;
            census.Rows[stratum]++;
            census.WeightSums[stratum] += weight;
            if (weight > 0)
                census.Positive[stratum]++;
        }
        return census;
    }

    private DataViewSchema.Column[] ActiveColumns() =>
        [.. new[] { Strata?.Column, Weights?.Column }.OfType<DataViewSchema.Column>()];

    private void CheckSomeWeight(long rows, long positive)
    {
        if (Weights is not null && rows > 0 && positive == 0)
            throw Weights.AllZero("in the whole data");
    }

    private ArgumentOutOfRangeException TooMany(int stratum, long target, long available)
    {
        var where = Strata is null ? "the data" : $"stratum '{Strata.Describe(stratum)}' of column '{Strata.Column.Name}'";
        var rows = Weights is null ? "rows" : $"rows with a positive weight in column '{Weights.Column.Name}'";
        return new ArgumentOutOfRangeException(Size.ArgumentName, target,
            $"Cannot draw {target} rows without replacement from {where}, which has only {available} {rows}.");
    }

    private static InvalidOperationException DataChanged() =>
        new("The data changed between two passes of the sampler: sampling needs a view that gives the same rows on every cursor.");

    private sealed class Census
    {
        public List<long> Rows { get; init; } = [];

        public List<long> Positive { get; init; } = [];

        public List<double> WeightSums { get; init; } = [];
    }
}
